/**
 * `opencodex [PROMPT]`: the interactive session in the terminal. Sets up the controller and renders the
 * UI inline (the conversation stays in the terminal's scrollback); on exit says how to resume.
 */
import { createElement } from 'react';
import type { FrontEndContext, ReviewTarget } from '../agent/index.js';
import type { LoadedConfig } from '../config/index.js';
import { enabledServers, startMcpServers, type McpConnections } from '../mcp/index.js';
import { resolveCredentials } from '../providers/index.js';
import { findSession, readHistory } from '../sessions/index.js';
import { UserError, VERSION } from '../shared/index.js';
import { App } from './components/App.js';
import { chooseSession, forkInto, resumeSession } from './commands.js';
import { UiController } from './controller.js';
import { startMcpInUi } from './mcp-startup.js';
import { agentsExitLines } from './agents-format.js';
import { DISABLE_INPUT_MODES, ENABLE_INPUT_MODES } from './input/index.js';
import { openingReview } from './review-command.js';
import { estimatedCost, exitUsageLine } from './status.js';
import { reflowErase } from './resize.js';
import { terminalStyle, type Style } from './style.js';

export type InteractiveContext = FrontEndContext;

export interface InteractiveOptions {
  prompt?: string | undefined;
  /** Use the terminal's alternate screen (the conversation is then gone from scrollback on exit). */
  altScreen?: boolean;
  /**
   * `opencodex resume`: a thread id (or --last), else a picker of recent sessions. With `fork`
   * (`opencodex fork`), the chosen thread is copied into a new one, which the session continues.
   */
  resume?: { id?: string | undefined; last: boolean; all: boolean; fork?: boolean };
  /** `opencodex review`: the first turn reviews this (`pick`: the review picker opens first). */
  review?: ReviewTarget | 'pick';
}

/** The interactive approval policy: the configured one, else on-request (codex-compat.md §5.3). */
export function interactiveApprovalPolicy(loaded: LoadedConfig) {
  return loaded.config.approval_policy ?? 'on-request';
}

/** The escape sequence that sets the terminal's title (OSC 0), with control characters taken out. */
export function terminalTitleSequence(title: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = title.replace(/[\u0000-\u001f\u007f-\u009f]/g, '').slice(0, 240);
  return `\u001b]0;${clean}\u001b\\`;
}

export function banner(c: UiController, s: Style): string {
  const info = c.statusInfo();
  const rows: Array<[string, string]> = [
    ['model', `${info.model.requested}${info.effort !== 'none' ? ` ${info.effort}` : ''}   ${s.dim('/model to change')}`],
    ['provider', info.provider],
    ['directory', c.settings.cwd],
    ['sandbox', c.sandboxDetail()],
    ['approvals', info.approval],
  ];
  return [`${s.bold('>_ opencodex')} ${s.dim(`v${VERSION}`)}`, ...rows.map(([k, v]) => `  ${s.dim(`${k}:`.padEnd(11))} ${v}`)].join('\n');
}

export async function runInteractive(ctx: InteractiveContext, opts: InteractiveOptions): Promise<number> {
  const env = process.env;
  const r = opts.resume;
  let resumePath: string | undefined;
  let token: string | null = null;
  try {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UserError('the interactive session needs a terminal (stdin and stdout)', { hint: 'use `opencodex exec PROMPT` for non-interactive runs' });
    }
    // A missing session or key is reported before the screen is taken over.
    resumePath = r && (r.id !== undefined || r.last) ? findSession(ctx.loaded.home, { id: r.id, last: r.last, all: r.all, cwd: ctx.cwd }) : undefined;
    ({ token } = await resolveCredentials(ctx.provider, { env, home: ctx.loaded.home, exec: false }));
  } catch (err) {
    // The UI would have shown the config and model notices; the run stops before it, so print them here.
    for (const n of ctx.notices) process.stderr.write(/^(warning|note): /.test(n) ? `${n}\n` : `warning: ${n}\n`);
    throw err;
  }
  const style = terminalStyle(env);
  const recall = readHistory(ctx.loaded.home, { limit: 500 }).map((e) => e.text);

  let exitRequested: () => void = () => {};
  const exited = new Promise<void>((resolve) => (exitRequested = resolve));
  // Leaving before the MCP servers are ready gives up on them.
  const leaving = new AbortController();
  const controller = new UiController({
    settings: { ...ctx, approvalPolicy: interactiveApprovalPolicy(ctx.loaded) },
    style,
    env,
    persistence: { recall },
    rollout: { token },
    altScreen: opts.altScreen === true,
    onExit: () => {
      leaving.abort();
      exitRequested();
    },
  });
  controller.resize(process.stdout.columns || 80, process.stdout.rows || 24);
  controller.print(banner(controller, style));
  for (const n of [...ctx.notices, ...controller.agent.warnings]) controller.notice(n.replace(/^(warning|note): /, ''));
  if (resumePath) {
    if (r?.fork) forkInto(controller, resumePath);
    else resumeSession(controller, resumePath);
  }
  controller.attachImages(ctx.images);

  const { render } = await import('ink');
  const out = process.stdout;
  if (opts.altScreen) out.write('\u001b[?1049h\u001b[H');
  // Bracketed paste (pasted newlines stay newlines) and modified keys reported (Shift+Enter).
  out.write(ENABLE_INPUT_MODES);
  const setTitle = (title: string): void => void out.write(terminalTitleSequence(title));
  // Registered before ink's own listener, which erases its last frame when the window narrows (resize.ts).
  let drawnColumns = out.columns || 80;
  const onResize = (): void => {
    const columns = out.columns || 80;
    if (columns < drawnColumns && !controller.exiting) out.write(reflowErase(controller.drawnFrame(), columns));
    drawnColumns = columns;
  };
  out.on('resize', onResize);
  const instance = render(createElement(App, { controller, setTitle }), { exitOnCtrlC: false, patchConsole: true, maxFps: 30 });
  const restore = () => {
    out.off('resize', onResize);
    // The title this session set goes with it (the terminal's earlier title cannot be read back).
    out.write(terminalTitleSequence(''));
    out.write(DISABLE_INPUT_MODES);
    if (opts.altScreen) out.write('\u001b[?1049l');
  };
  process.once('exit', restore);
  // The MCP servers start with the screen open; prompts typed meanwhile wait for them. A required server
  // that fails ends the session with its error, once the terminal is restored.
  const servers = enabledServers(ctx.loaded.config).map(([name]) => name);
  let mcpFailure: unknown;
  const mcpReady: Promise<McpConnections | null> =
    servers.length === 0
      ? Promise.resolve(null)
      : startMcpInUi(controller, { names: servers, start: () => startMcpServers(ctx.loaded.config, { env, signal: leaving.signal }) }).catch((err: unknown) => {
          mcpFailure = err;
          controller.exit();
          return null;
        });
  if (opts.review) void openingReview(controller, opts.review);
  else if (opts.prompt !== undefined && opts.prompt.trim() !== '') controller.send(opts.prompt);
  else if (r && !resumePath) void chooseSession(controller, r.all, r.fork ? 'fork' : 'resume');

  await exited;
  // Let the last frame (the interrupted turn, the final notices) reach the terminal, then leave.
  controller.flush();
  await new Promise((r) => setTimeout(r, 50));
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  restore();
  process.off('exit', restore);
  // The helpers' own MCP servers (their agent types') are closed before leaving, then the session's.
  await controller.agent.subagents?.shutdown();
  await (await mcpReady)?.close();
  if (mcpFailure !== undefined) throw mcpFailure;
  const usage = exitUsageLine(controller.statusInfo());
  if (usage !== null) out.write(`${usage}\n`);
  const info = controller.statusInfo();
  for (const line of agentsExitLines(controller.agent.subagents?.list() ?? [], { usage: info.usage, cost: estimatedCost(info.model, info.usage) })) out.write(`${line}\n`);
  if (controller.usedSession) out.write(`To continue this session, run ${style.cyan(`opencodex resume ${controller.session.threadId}`)}\n`);
  return 0;
}
