/**
 * The approval decision table (codex-compat.md §5.3), as pure functions: given the approval policy, the
 * sandbox policy and a request, say whether to run, ask, or refuse. No I/O here; `ApprovalSession` asks.
 */
import type { ApprovalPolicyName, ApprovalPolicySetting, LoadedConfig } from '../config/index.js';
import { commandMightBeDangerous, isKnownSafeCommand } from './command-safety.js';
import { checkPatchPaths, type FileChange, type PatchCheck } from './patch-safety.js';
import type { SandboxPolicy } from './policy.js';

/** The shell tools' `sandbox_permissions` parameter. */
export type SandboxPermissions = 'use_default' | 'require_escalated' | 'with_additional_permissions';

export interface CommandRequest {
  /** What would be executed; a shell script is `["bash", "-lc", script]` (see `shellScriptArgv`). */
  argv: readonly string[];
  cwd: string;
  sandboxPermissions?: SandboxPermissions | undefined;
  /** The model's reason for wanting escalation, shown to whoever approves. */
  justification?: string | undefined;
}

/** Where an allowed command runs: under the session's sandbox policy, or without any sandbox. */
export type SandboxChoice = 'policy' | 'none';

export type CommandDecision =
  | { action: 'run'; sandbox: SandboxChoice }
  | { action: 'ask'; reason: string; sandboxIfApproved: SandboxChoice }
  | { action: 'reject'; message: string };

export type PatchDecision =
  | { action: 'apply'; check: PatchCheck }
  | { action: 'ask'; reason: string; check: PatchCheck }
  | { action: 'reject'; message: string; check: PatchCheck };

/** The policy name that decides behaviour; a granular policy behaves like on-request. */
export function basePolicy(policy: ApprovalPolicySetting): ApprovalPolicyName {
  return typeof policy === 'string' ? policy : 'on-request';
}

/** Under a granular policy, questions about leaving the sandbox are refused when `sandbox_approval = false`. */
function mayAskAboutSandbox(policy: ApprovalPolicySetting): boolean {
  return typeof policy === 'string' || policy.granular.sandbox_approval !== false;
}

function escalates(req: CommandRequest): boolean {
  return req.sandboxPermissions === 'require_escalated' || req.sandboxPermissions === 'with_additional_permissions';
}

function unrestricted(sandbox: SandboxPolicy): boolean {
  return sandbox.type === 'danger-full-access';
}

export function decideCommand(policy: ApprovalPolicySetting, sandbox: SandboxPolicy, req: CommandRequest): CommandDecision {
  const name = basePolicy(policy);
  const escalated = escalates(req);
  if (escalated && name !== 'on-request') {
    return {
      action: 'reject',
      message: `command not run: the approval policy is ${name}, which does not allow requesting escalated permissions; run it without sandbox_permissions`,
    };
  }
  if (isKnownSafeCommand(req.argv)) return { action: 'run', sandbox: 'policy' };
  const ask = (reason: string, sandboxIfApproved: SandboxChoice): CommandDecision =>
    mayAskAboutSandbox(policy) || sandboxIfApproved === 'policy'
      ? { action: 'ask', reason, sandboxIfApproved }
      : { action: 'reject', message: 'command not run: the approval policy does not allow asking to leave the sandbox' };

  if (commandMightBeDangerous(req.argv)) {
    if (name === 'never') {
      return unrestricted(sandbox)
        ? { action: 'run', sandbox: 'policy' }
        : {
            action: 'reject',
            message: 'command not run: it could destroy data and the approval policy is never, so no one can approve it; find a non-destructive way',
          };
    }
    return ask('the command could destroy data', escalated ? 'none' : 'policy');
  }
  switch (name) {
    case 'never':
    case 'on-failure':
      return { action: 'run', sandbox: 'policy' };
    case 'untrusted':
      return ask('the command is not on the list of known read-only commands', 'policy');
    case 'on-request':
      if (unrestricted(sandbox)) return { action: 'run', sandbox: 'policy' };
      return escalated
        ? ask(req.justification ? `the model asks to run outside the sandbox: ${req.justification}` : 'the model asks to run outside the sandbox', 'none')
        : { action: 'run', sandbox: 'policy' };
  }
}

/**
 * What to do after a command failed in the sandbox and looked like a sandbox denial: ask to run it again
 * without the sandbox (untrusted, on-failure) or hand the failure back to the model (on-request, never;
 * the model may ask again with `sandbox_permissions = "require_escalated"`).
 */
export function afterSandboxDenial(policy: ApprovalPolicySetting): 'ask-retry-without-sandbox' | 'report-failure' {
  const name = basePolicy(policy);
  return name === 'untrusted' || name === 'on-failure' ? 'ask-retry-without-sandbox' : 'report-failure';
}

/**
 * Whether an in-process patch may be applied (Codex's `assess_patch_safety`). untrusted always asks;
 * otherwise a patch inside the writable roots is applied and one outside asks, or under `never` is
 * rejected. Codex auto-approves any patch under on-failure because it applies patches inside the sandbox
 * and asks after a failure; patches here are applied in-process, so under on-failure a patch outside the
 * roots asks straight away, which is where Codex ends up. `where.root` is the session's working root (the
 * writable roots come from it); `where.cwd` is the directory relative paths resolve against.
 */
export function decidePatch(
  policy: ApprovalPolicySetting,
  sandbox: SandboxPolicy,
  changes: readonly FileChange[],
  where: { root: string; cwd: string },
  env: NodeJS.ProcessEnv = process.env,
): PatchDecision {
  const check = checkPatchPaths(changes, sandbox, where.root, where.cwd, env);
  if (changes.length === 0) return { action: 'reject', message: 'patch rejected: empty patch', check };
  const name = basePolicy(policy);
  if (name === 'untrusted') return { action: 'ask', reason: 'every file change needs approval under the untrusted policy', check };
  if (check.allowed) return { action: 'apply', check };
  const readOnly = sandbox.type === 'read-only';
  if (name === 'never' || !mayAskAboutSandbox(policy)) {
    return {
      action: 'reject',
      message: readOnly
        ? 'patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings'
        : 'patch rejected: writing outside of the project; rejected by user approval settings',
      check,
    };
  }
  const outside = check.paths.filter((p) => !p.allowed).map((p) => p.path);
  return {
    action: 'ask',
    reason: readOnly ? 'the sandbox is read-only' : `writes outside the writable roots or to protected paths: ${outside.join(', ')}`,
    check,
  };
}

/**
 * The approval policy of a non-interactive run (`opencodex exec`): `never`, unless the user chose one on
 * the command line (`-c approval_policy=…` or `-a`).
 */
export function execApprovalPolicy(loaded: LoadedConfig): ApprovalPolicySetting {
  const source = loaded.sources.nearest(['approval_policy']);
  const chosen = source !== undefined && (source.kind === 'override' || source.kind === 'flag');
  return chosen && loaded.config.approval_policy !== undefined ? loaded.config.approval_policy : 'never';
}

/** The policy a command actually runs under once its sandbox choice is made. */
export function policyForChoice(sandbox: SandboxPolicy, choice: SandboxChoice): SandboxPolicy {
  return choice === 'none' ? { type: 'danger-full-access' } : sandbox;
}
