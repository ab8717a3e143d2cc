/**
 * The request params opencodex reads, checked with zod (fields it does not use are let through, as Codex's
 * clients send many). A request whose params do not fit is answered with -32602 naming the field.
 */
// A namespace import, as elsewhere: the `z` export is a namespace object that would bundle all of zod's locales.
import * as z from 'zod';
import { INVALID_PARAMS, RpcError } from './jsonrpc.js';

const str = z.string().nullish();
const askForApproval = z.union([z.enum(['untrusted', 'on-failure', 'on-request', 'never']), z.object({ granular: z.record(z.string(), z.boolean()) })]).nullish();
const sandboxMode = z.enum(['read-only', 'workspace-write', 'danger-full-access']).nullish();

export const userInput = z.union([
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('image'), url: z.string() }),
  z.object({ type: z.literal('localImage'), path: z.string() }),
  z.object({ type: z.enum(['skill', 'mention']), name: z.string(), path: z.string() }),
]);
export type UserInputParam = z.infer<typeof userInput>;

const threadSettings = {
  model: str,
  modelProvider: str,
  cwd: str,
  approvalPolicy: askForApproval,
  sandbox: sandboxMode,
  config: z.record(z.string(), z.unknown()).nullish(),
  developerInstructions: str,
  baseInstructions: str,
};

export const initializeParams = z.object({
  clientInfo: z.object({ name: z.string(), title: str, version: z.string() }),
  capabilities: z.object({ experimentalApi: z.boolean().optional() }).nullish(),
});
export const threadStartParams = z.object({ ...threadSettings, ephemeral: z.boolean().nullish() });
export const threadResumeParams = z.object({ ...threadSettings, threadId: z.string(), excludeTurns: z.boolean().nullish() });
export const threadForkParams = z.object({ ...threadSettings, threadId: z.string(), ephemeral: z.boolean().nullish(), excludeTurns: z.boolean().nullish() });
export const threadIdParams = z.object({ threadId: z.string() });
export const threadReadParams = z.object({ threadId: z.string(), includeTurns: z.boolean().nullish() });
export const threadSetNameParams = z.object({ threadId: z.string(), name: z.string() });
export const threadListParams = z
  .object({
    cursor: str,
    limit: z.number().int().positive().nullish(),
    cwd: z.union([z.string(), z.array(z.string())]).nullish(),
    archived: z.boolean().nullish(),
    searchTerm: str,
    sourceKinds: z.array(z.string()).nullish(),
    modelProviders: z.array(z.string()).nullish(),
  })
  .nullish();
export const threadTurnsListParams = z.object({ threadId: z.string(), cursor: str, limit: z.number().int().positive().nullish() });
export const turnStartParams = z.object({
  threadId: z.string(),
  input: z.array(userInput),
  clientUserMessageId: str,
  model: str,
  effort: str,
  cwd: str,
  approvalPolicy: askForApproval,
  sandboxPolicy: z
    .union([
      z.object({ type: z.literal('dangerFullAccess') }),
      z.object({ type: z.literal('readOnly'), networkAccess: z.boolean().nullish() }),
      z.object({
        type: z.literal('workspaceWrite'),
        writableRoots: z.array(z.string()).nullish(),
        networkAccess: z.boolean().nullish(),
        excludeTmpdirEnvVar: z.boolean().nullish(),
        excludeSlashTmp: z.boolean().nullish(),
      }),
      // Codex's other kinds (externalSandbox) have no counterpart here: the thread's sandbox stays.
      z.object({ type: z.string() }),
    ])
    .nullish(),
  outputSchema: z.record(z.string(), z.unknown()).nullish(),
});
export const reviewStartParams = z.object({
  threadId: z.string(),
  target: z.discriminatedUnion('type', [
    z.object({ type: z.literal('uncommittedChanges') }),
    z.object({ type: z.literal('baseBranch'), branch: z.string().min(1) }),
    z.object({ type: z.literal('commit'), sha: z.string().min(1), title: str }),
    z.object({ type: z.literal('custom'), instructions: z.string() }),
  ]),
  // Reviews run on the thread named (to review on another thread, start one and name it): inline only.
  delivery: z.literal('inline').nullish(),
});
export const turnSteerParams = z.object({ threadId: z.string(), expectedTurnId: z.string(), input: z.array(userInput) });
export const turnInterruptParams = z.object({ threadId: z.string(), turnId: z.string() });
export const modelListParams = z.object({ cursor: str, limit: z.number().int().positive().nullish(), includeHidden: z.boolean().nullish() }).nullish();
export const configReadParams = z.object({ cwd: str, includeLayers: z.boolean().nullish() }).nullish();
export const cwdsParams = z.object({ cwds: z.array(z.string()).nullish() }).nullish();

/** The params, checked; a mismatch is a -32602 error naming the method and the field. */
export function parse<T>(schema: z.ZodType<T>, method: string, params: unknown): T {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new RpcError(INVALID_PARAMS, `invalid params for ${method}${where}: ${issue?.message ?? 'does not match'}`);
}
