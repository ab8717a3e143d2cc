/**
 * Subagents in the interactive UI, at the controller level with real child sessions on the scripted
 * server: the model's subagent calls in the transcript (inert), the list of open children above the
 * footer while they work, a child's transcript opened with /agents and closed again, an approval asked
 * by a child naming it, Esc interrupting children with the parent (and alone when only they work), and
 * each child's tokens and cost in /status and the exit summary.
 */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider, type ApprovalPolicySetting } from '../../src/config/index.js';
import { agentsExitLines } from '../../src/ui/agents-format.js';
import { resumeSession, runSlashCommand } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { KeyHandler, NO_KEY } from '../../src/ui/keys.js';
import { bottomView, footerView } from '../../src/ui/views.js';
import { createStyle, stripAnsi } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';
import { gitWorkspace, rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { dynamic, stallAfter, turn, type RecordedRequest, type Reply } from '../support/scripted-server.js';

const server = useScriptedServer();
const s = createStyle(false);

function agentsHome(): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "danger-full-access"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\n` +
      'env_key = "MOCK_KEY"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n',
  });
}

function setup(approvalPolicy: ApprovalPolicySetting = 'never', home = agentsHome(), cwd = gitWorkspace(), record = false): UiController {
  const env = { PATH: process.env.PATH, MOCK_KEY: 'k-ui-agents' };
  const loaded = loadConfig({ home, env });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd, addDirs: [], approvalPolicy },
    style: s,
    env,
    ...(record ? { rollout: { token: 'k-ui-agents' } } : {}),
    onExit: () => undefined,
  });
}

async function until(check: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

type Json = Record<string, unknown>;
/** The agent id in a request's spawn_agent output. */
function spawnedId(req: RecordedRequest, callId = 'spawn1'): string {
  for (const i of (req.body?.input ?? []) as Json[]) {
    if (i.type === 'function_call_output' && i.call_id === callId) return (JSON.parse(String(i.output)) as { agent_id: string }).agent_id;
  }
  throw new Error('no spawn output');
}
const call = (name: string, args: Record<string, unknown>, callId: string): Reply => turn({ toolCalls: [{ name, arguments: args, callId }] });
const history = (c: UiController): string => stripAnsi(c.transcript.history.map((e) => e.text).join('\n'));
const screen = (c: UiController): { bottom: string; footer: string } => {
  const snap = c.getSnapshot();
  return { bottom: stripAnsi(bottomView(snap, s, c.settings.cwd, 30)), footer: stripAnsi(footerView(snap, s)) };
};
const esc = (keys: KeyHandler): void => keys.handle('', { ...NO_KEY, escape: true });

describe('subagents in the interactive UI', () => {
  it('shows the spawn, the wait and the answer in the transcript, lists the child, opens its transcript and comes back', async () => {
    const c = setup();
    // A task and answer with escape sequences: shown inert, never sent to the terminal.
    const task = 'CHILD-TASK: count the widgets \u001b]0;pwned\u0007';
    server.route('CHILD-TASK', turn({ text: 'there are 7 widgets\u001b[2J\nsecond line', usage: { input: 1000, output: 200 } }));
    server.reply(
      call('spawn_agent', { message: task, model: 'gpt-5.4-mini' }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 15_000 }, 'wait1')),
      turn({ text: 'the helper says 7' }),
    );
    await c.runTurn('use a helper to count the widgets');

    const agents = c.agents;
    expect(agents).toHaveLength(1);
    const nick = agents[0]?.nickname as string;
    expect(agents[0]?.model).toBe('gpt-5.4-mini');
    const text = history(c);
    expect(text).toContain(`• Spawned agent ${nick} (gpt-5.4-mini`);
    expect(text).toContain('└ CHILD-TASK: count the widgets \\x1b]0;pwned\\x07');
    expect(text).toContain(`• ${nick} finished\n  └ there are 7 widgets\\x1b[2J\n    second line`);
    expect(text).not.toContain('\u001b]0;');
    expect(text).toMatch(/the helper says 7/);

    // The list above the footer: the child (finished, not closed), its model and what it used.
    const { footer } = screen(c);
    expect(footer).toMatch(new RegExp(`agents · 0 running of 1 · ctrl\\+t to view\\n  ○ ${nick} \\(gpt-5\\.4-mini[^)]*\\) completed · 1,200 tokens`));

    // /agents picks it; its transcript replaces the prompt, with its task and answer; Esc comes back.
    const picking = runSlashCommand(c, '/agents');
    await until(() => c.overlay?.kind === 'picker', 'the picker');
    expect(c.overlay?.kind === 'picker' && c.overlay.items.map((i) => i.columns?.[0])).toEqual([nick]);
    const keys = new KeyHandler(c);
    keys.handle('', { ...NO_KEY, return: true });
    await picking;
    expect(c.overlay).toEqual({ kind: 'agent', id: agents[0]?.id, scroll: 0 });
    const view = screen(c).bottom;
    expect(view).toMatch(new RegExp(`^Agent ${nick} \\(gpt-5\\.4-mini[^)]*\\) completed · 1,200 tokens`));
    expect(view).toContain('› CHILD-TASK: count the widgets \\x1b]0;pwned\\x07');
    expect(view).toContain('there are 7 widgets\\x1b[2J');
    expect(c.getSnapshot().title).not.toContain('action required');
    esc(keys);
    expect(c.overlay).toBeNull();
    expect(screen(c).bottom).toMatch(/^› /);

    // /status: the child's tokens (the shipped catalog has no prices for these models, so no cost), and the total with the session's own.
    await runSlashCommand(c, '/status');
    const status = stripAnsi(c.transcript.history.at(-1)?.text ?? '');
    expect(status).toMatch(new RegExp(`agent ${nick}: +completed · gpt-5\\.4-mini · 1,200 tokens$`, 'm'));
    expect(status).toMatch(/subagents total: +1,200 tokens$/m);
    // The session: three responses of 10 + 5 tokens.
    expect(status).toMatch(/^ {2}total: +1,245 tokens$/m);
    const exit = agentsExitLines(c.agents, { usage: c.statusInfo().usage, cost: null });
    expect(exit).toEqual([expect.stringMatching(new RegExp(`^Subagents: ${nick} \\(gpt-5\\.4-mini[^)]*\\) 1,200 tokens$`)), 'Total with subagents: 1,245 tokens']);
  });

  it('lists a working child with what it is doing, shows its live transcript, and Esc interrupts it with the parent', async () => {
    const c = setup();
    server.route('SLOW-TASK', stallAfter(8, { text: 'counting the widgets one by one and never finishing' }));
    server.reply(
      call('spawn_agent', { message: 'SLOW-TASK: count', model: 'gpt-5.4-mini' }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 60_000 }, 'wait1')),
    );
    const done = c.runTurn('use a helper');
    await until(() => /running of 1 · ctrl\+t/.test(screen(c).footer) && /writing/.test(screen(c).footer), 'the child writing');
    const nick = c.agents[0]?.nickname as string;
    expect(screen(c).footer).toMatch(new RegExp(`agents · 1 running of 1 · ctrl\\+t to view\\n  ● ${nick} \\(gpt-5\\.4-mini[^)]*\\) running · writing`));
    // The parent's live part says whom it waits on.
    await until(() => c.getSnapshot().live.collab.length === 1, 'the wait');
    c.openAgentView(c.agents[0]?.id as string);
    expect(screen(c).bottom).toContain('› SLOW-TASK: count');
    expect(screen(c).bottom).toMatch(/counting the wid/);
    c.closeAgentView();

    const keys = new KeyHandler(c);
    esc(keys);
    await done;
    await until(() => c.agents[0]?.status === 'interrupted', 'the child interrupted');
    expect(c.running).toBe(false);
    expect(c.agentsBusy).toBe(false);
    expect(screen(c).footer).toMatch(new RegExp(`○ ${nick} .* interrupted`));
  });

  it('Esc with no turn running interrupts the children still working', async () => {
    const c = setup();
    server.route('BACKGROUND-TASK', stallAfter(8, { text: 'still going and going' }));
    server.reply(call('spawn_agent', { message: 'BACKGROUND-TASK: look around' }, 'spawn1'), turn({ text: 'started a helper' }));
    await c.runTurn('start a helper and do not wait');
    await until(() => /writing/.test(screen(c).footer), 'the child writing');
    expect(c.running).toBe(false);
    expect(screen(c).footer).toContain('1 running of 1 · esc to interrupt · ctrl+t to view');
    esc(new KeyHandler(c));
    await until(() => c.agents[0]?.status === 'interrupted', 'the child interrupted');
    expect(history(c)).toContain('Interrupted the subagents');
  });

  it("names the child in an approval it asks for, and in the refusal's line", async () => {
    const c = setup('untrusted');
    server.route('WRITE-TASK', call('shell_command', { command: 'touch made-by-child.txt' }, 'c1'), turn({ text: 'could not write it' }));
    server.reply(
      call('spawn_agent', { message: 'WRITE-TASK: make a file', agent_type: 'worker' }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 60_000 }, 'wait1')),
      turn({ text: 'the helper was refused' }),
    );
    const done = c.runTurn('have a worker make a file');
    await until(() => c.overlay?.kind === 'approval', 'the question');
    const nick = c.agents[0]?.nickname as string;
    expect(screen(c).bottom).toMatch(new RegExp(`^Agent ${nick} \\(worker\\) asks: Allow this command\\?`));
    expect(c.getSnapshot().title).toContain('action required');
    c.decline();
    await done;
    expect(history(c)).toContain(`Not run: touch made-by-child.txt (asked by agent ${nick})`);
    expect(history(c)).toContain(`• ${nick} finished\n  └ could not write it`);
  });

  it('a resumed session lists its helpers as they were; /new starts without any', async () => {
    const home = agentsHome();
    const cwd = gitWorkspace();
    const c = setup('never', home, cwd, true);
    server.route('RESUMED-TASK', turn({ text: 'done it' }));
    server.reply(
      call('spawn_agent', { message: 'RESUMED-TASK: look', model: 'gpt-5.4-mini' }, 'spawn1'),
      dynamic((req) => call('wait_agent', { targets: [spawnedId(req)], timeout_ms: 15_000 }, 'wait1')),
      turn({ text: 'it is done' }),
    );
    await c.runTurn('use a helper');
    const nick = c.agents[0]?.nickname as string;
    const path = rolloutFiles(home).find((p) => p.includes(c.session.threadId));
    expect(path).toBeDefined();

    const r = setup('never', home, cwd, true);
    expect(r.agents).toEqual([]);
    resumeSession(r, path as string);
    expect(r.agents.map((a) => [a.nickname, a.model, a.status])).toEqual([[nick, 'gpt-5.4-mini', { completed: 'done it' }]]);
    expect(screen(r).footer).toContain(`○ ${nick} (gpt-5.4-mini) completed`);
    // Shown without its file read, the view says where its earlier work is.
    r.openAgentView(r.agents[0]?.id as string);
    expect(screen(r).bottom.replace(/\s+/g, '')).toContain('(nothinginthissessionyet;itsearlierworkisin');
    r.closeAgentView();
    // Opened with /agents, it shows what it did, read from its own session file.
    const picking = runSlashCommand(r, '/agents');
    await until(() => r.overlay?.kind === 'picker', 'the picker');
    new KeyHandler(r).handle('', { ...NO_KEY, return: true });
    await picking;
    expect(r.overlay?.kind).toBe('agent');
    expect(screen(r).bottom).toContain('› RESUMED-TASK: look');
    expect(screen(r).bottom).toContain('done it');
    r.newSession();
    expect(r.overlay).toBeNull();
    expect(r.agents).toEqual([]);
    expect(screen(r).footer).not.toContain('agents ·');
  });

  it("adds each child's cost and the total to the session's own where the prices are known", () => {
    const usage = { input_tokens: 1000, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 200, reasoning_output_tokens: 0 };
    const child = { id: 'a', nickname: 'Robie', role: 'explorer', parent_id: 'p', depth: 1, model: 'gpt-5.4-mini', provider: 'openai', effort: 'low', status: 'running' as const, activity: 'thinking', usage, cost_usd: 0.0021, rollout_path: null };
    const priced = agentsExitLines([child, { ...child, id: 'b', nickname: 'Lyra', cost_usd: 0.5 }], { usage, cost: 0.01 });
    expect(priced).toEqual(['Subagents: Robie (explorer, gpt-5.4-mini low) 1,200 tokens · ~$0.0021; Lyra (explorer, gpt-5.4-mini low) 1,200 tokens · ~$0.50', 'Total with subagents: 3,600 tokens · ~$0.51']);
    // One model without prices: no total cost (a partial sum would mislead).
    expect(agentsExitLines([child, { ...child, id: 'b', cost_usd: null }], { usage, cost: 0.01 })[1]).toBe('Total with subagents: 3,600 tokens');
    expect(agentsExitLines([], { usage, cost: 0.01 })).toEqual([]);
  });
});
