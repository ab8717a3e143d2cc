/**
 * `opencodex exec`: one non-interactive turn (codex-compat.md §1.4–1.5, codex-observed.md). Human mode
 * prints a banner and progress on stderr and only the final message on stdout; `--json` prints only JSONL
 * events on stdout. Exit 0 when the turn completes, 1 when it fails or is interrupted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createAgent, loadImage, type AgentEvent, type FrontEndContext, type ReviewTarget } from '../agent/index.js';
import { chooseEffort } from '../catalog/index.js';
import { McpConnections, startMcpServers } from '../mcp/index.js';
import { resolveCredentials, type InputImage, type JsonObject } from '../providers/index.js';
import { basePolicy, describePolicy, execApprovalPolicy, nonInteractiveApprover } from '../sandbox/index.js';
import { findSession, forkSession, prepareResume, resumeFork, secretValues, type PreparedResume } from '../sessions/index.js';
import { escapeControls, hasEntry, UserError, uuidv7, VERSION } from '../shared/index.js';
import { HumanRenderer } from './human.js';
import { processStdin, resolvePrompt } from './input.js';
import { JsonlRenderer } from './jsonl.js';
import { prepareExecReview, reviewJsonLine, reviewText, type PreparedReview } from './review.js';

export interface ExecContext extends FrontEndContext {
  /** `--dangerously-bypass-approvals-and-sandbox` also skips the git check. */
  bypass: boolean;
  /** `exec resume`: which thread to continue; `exec fork` (`fork`): which thread to copy into a new one. */
  resume?: { id?: string | undefined; last: boolean; all: boolean; fork?: boolean };
}

export interface ExecOptions {
  prompt: string | undefined;
  json: boolean;
  outputLastMessage?: string | undefined;
  outputSchema?: string | undefined;
  color: 'always' | 'never' | 'auto';
  skipGitRepoCheck: boolean;
  /** Write no session file. */
  ephemeral?: boolean;
  /** `exec review`: review this (the prompt is built from it; a custom target's instructions are `prompt`). */
  review?: ReviewTarget;
}

/** Inside a git work tree: a `.git` directory or file at or above `dir`. */
export function insideGitRepo(dir: string): boolean {
  let d = resolve(dir);
  for (;;) {
    if (hasEntry(d, '.git')) return true;
    const up = dirname(d);
    if (up === d) return false;
    d = up;
  }
}

function readOutputSchema(path: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`Failed to read output schema file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`Output schema file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`Output schema file ${path} must hold a JSON object (a JSON Schema)`);
  }
  return value as JsonObject;
}

/** A custom review's instructions: the prompt argument, or stdin for `-` or none. */
function customInstructions(opts: ExecOptions): Promise<string> {
  return resolvePrompt({
    arg: opts.prompt,
    stdinIsTty: processStdin.isTty(),
    readStdin: processStdin.read,
    note: (line) => process.stderr.write(`${line}\n`),
  });
}

/** The thread to continue, with the model and provider it continues with. */
function resumeThread(ctx: ExecContext): PreparedResume {
  const r = ctx.resume as NonNullable<ExecContext['resume']>;
  const path = findSession(ctx.loaded.home, { id: r.id, last: r.last, all: r.all, cwd: ctx.cwd });
  return prepareResume({ path, loaded: ctx.loaded, catalog: ctx.catalog, model: ctx.model, provider: ctx.provider });
}

export async function runExec(ctx: ExecContext, opts: ExecOptions): Promise<number> {
  const { cwd } = ctx;
  let { loaded, model, provider } = ctx;
  let config = loaded.config;
  const env = process.env;
  let outputSchema: JsonObject | undefined;
  let resumed: PreparedResume | undefined;
  let token: string | null = null;
  let mcp = McpConnections.none();
  let review: PreparedReview | undefined;
  try {
    if (!opts.skipGitRepoCheck && !ctx.bypass && !insideGitRepo(cwd)) {
      throw new UserError('Not inside a trusted directory and --skip-git-repo-check was not specified.');
    }
    if (opts.outputSchema) outputSchema = readOutputSchema(resolve(opts.outputSchema));
    if (opts.review) {
      const target: ReviewTarget = opts.review.type === 'custom' ? { type: 'custom', instructions: await customInstructions(opts) } : opts.review;
      review = prepareExecReview(loaded, provider, cwd, target);
      loaded = review.loaded;
      config = loaded.config;
      outputSchema ??= review.outputSchema;
    }
    if (ctx.resume) {
      resumed = resumeThread(ctx);
      model = resumed.model;
      provider = resumed.provider;
    }
    // A missing key is reported before anything else happens.
    token = (await resolveCredentials(provider, { env, home: loaded.home, exec: true })).token;
    if (resumed && ctx.resume?.fork) {
      // `exec fork`: a new thread with the same history; an ephemeral one is not written anywhere.
      const meta = resumed.rollout.meta;
      resumed = opts.ephemeral
        ? { ...resumed, rollout: { ...resumed.rollout, meta: { ...meta, id: uuidv7(), forked_from_id: meta.id } } }
        : resumeFork(resumed, forkSession(loaded.home, resumed.rollout.path, { secrets: secretValues(provider, env, token), cwd }));
    }
    // MCP servers start before the turn; a required one that fails stops the run here.
    mcp = await startMcpServers(config, { env });
  } catch (err) {
    // The run stops before its banner: the config and model notices still deserve to be seen.
    for (const n of ctx.notices) process.stderr.write(escapeControls(/^(warning|note): /.test(n) ? `${n}\n` : `warning: ${n}\n`));
    throw err;
  }

  try {
    const approvalPolicy = execApprovalPolicy(loaded);
    const agent = createAgent({
      loaded,
      catalog: ctx.catalog,
      model,
      provider,
      cwd,
      addDirs: ctx.addDirs,
      approvalPolicy,
      approver: nonInteractiveApprover(),
      exec: true,
      env,
      mcp,
      ...(review ? { readOnlyTools: true } : {}),
      ...(opts.ephemeral ? {} : { rollout: { source: 'exec' as const, originator: env.CODEX_INTERNAL_ORIGINATOR_OVERRIDE ?? 'opencodex_exec', token } }),
      ...(resumed
        ? {
            threadId: resumed.rollout.meta.id,
            resume: {
              history: resumed.history,
              usage: resumed.rollout.usage,
              lastUsage: resumed.rollout.lastUsage,
              instructions: resumed.rollout.meta.base_instructions.text,
              path: resumed.rollout.path,
              collab: resumed.rollout.collab,
            },
          }
        : {}),
    });
    const { session, tools, sandbox } = agent;
    const notices = [...ctx.notices, ...(resumed?.notes ?? []), ...agent.warnings, ...mcp.warnings];
    let images: InputImage[] = ctx.images.map((p) => loadImage(p, cwd));
    if (images.length > 0 && !model.facts.inputModalities.includes('image')) {
      notices.push(`model ${model.requested} takes text only; the attached images are not sent`);
      images = [];
    }

    const prompt = review ? review.request.prompt : await resolvePrompt({
      arg: opts.prompt,
      stdinIsTty: processStdin.isTty(),
      readStdin: processStdin.read,
      note: (line) => process.stderr.write(`${line}\n`),
    });

    const color = opts.color === 'always' || (opts.color === 'auto' && process.stderr.isTTY === true && !env.NO_COLOR);
    const human = opts.json
      ? null
      : new HumanRenderer({
          stdout: process.stdout,
          stderr: process.stderr,
          color,
          hideReasoning: config.hide_agent_reasoning === true,
          interactiveTerminal: process.stdout.isTTY === true && process.stderr.isTTY === true,
          stdoutIsTerminal: process.stdout.isTTY === true,
          cwd,
        });
    const jsonl = opts.json ? new JsonlRenderer(process.stdout) : null;
    let lastMessage: string | null = null;
    const emit = (event: AgentEvent) => {
      if (event.type === 'item.completed' && event.item.type === 'agent_message') lastMessage = event.item.text;
      jsonl?.handle(event);
      if (event.type === 'warning') human?.warning(event.message);
      else human?.handle(event);
    };

    agent.subagents?.setSink(emit);
    emit({ type: 'thread.started', thread_id: session.threadId });
    if (human) {
      human.banner(
        {
          version: VERSION,
          workdir: cwd,
          model: model.requested,
          provider: provider.id,
          approval: basePolicy(approvalPolicy),
          sandbox: describePolicy(sandbox),
          reasoningEffort: chooseEffort(model, config.model_reasoning_effort).effort ?? 'none',
          reasoningSummaries: config.model_reasoning_summary ?? (model.facts.supportsReasoningSummaries ? model.facts.defaultReasoningSummary : 'none'),
          sessionId: session.threadId,
        },
        review ? review.shown : prompt,
      );
      for (const n of notices) human.warning(n.replace(/^(warning|note): /, ''));
    } else {
      for (const n of notices) emit({ type: 'item.completed', item: { id: session.nextItemId(), type: 'error', message: n } });
    }

    const abort = new AbortController();
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    let outcome;
    try {
      outcome = await session.runTurn({ text: prompt, images }, { signal: abort.signal, emit, outputSchema });
    } finally {
      process.off('SIGINT', onSigint);
      // exec is one turn: what the model left running ends with it, subagents included.
      await agent.subagents?.shutdown();
      agent.execSessions.terminateAll();
      session.recorder?.close();
    }

    const final = lastMessage ?? tools.planText();
    if (opts.outputLastMessage) {
      writeFileSync(opts.outputLastMessage, final ?? '');
      if (final === null) process.stderr.write(`Warning: no last agent message; wrote empty content to ${opts.outputLastMessage}\n`);
    }
    // A session file the disk did not take in full cannot be resumed (the warning said why).
    if (human && session.recorder && session.recorder.unwritten === 0) process.stderr.write(`To continue this session, run opencodex exec resume ${session.threadId}\n`);
    if (outcome.status === 'interrupted') {
      process.stderr.write('turn interrupted\n');
      return 1;
    }
    if (outcome.status === 'failed') return 1;
    if (review) {
      // A review that finds bugs is a success: exit 0 whatever it found.
      const { review: found, text } = reviewText(final, cwd, process.stdout.isTTY === true);
      if (jsonl) process.stdout.write(`${reviewJsonLine(session.threadId, review.request, found, final)}\n`);
      else if (text !== '') process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      return 0;
    }
    human?.flushFinal();
    return 0;
  } finally {
    await mcp.close();
  }
}
