/**
 * The subagent manager in process, with real child sessions against the scripted server: limits as errors
 * the model can read, waiting with a bound, closing and reopening, failures, interrupts, usage and cost,
 * approvals naming the child. And the model choice for a child.
 */
import { describe, expect, it } from 'vitest';
import { chooseChildModel, CollabError, roleBook } from '../../../src/agent/collab/index.js';
import { lookupModel, SHIPPED_CATALOG, type Catalog } from '../../../src/catalog/index.js';
import { agentSettings, loadAgentRoles, loadConfig } from '../../../src/config/index.js';
import type { ApprovalQuestion } from '../../../src/sandbox/index.js';
import { useScriptedServer } from '../../support/e2e.js';
import { dynamic, failWith, hang, turn, type RecordedRequest } from '../../support/scripted-server.js';
import { mockHome, SETUP_ENV, setupAgent, type SetupOptions } from './helpers.js';

const server = useScriptedServer();
const env = SETUP_ENV;
const setup = (o: SetupOptions = {}) => setupAgent(server, o);
const homeWith = (extra = '', files: Record<string, string> = {}) => mockHome(server, extra, files);

const never = new AbortController().signal;

describe('limits', () => {
  it('max_threads: spawning past it is an error naming the finished agents to close; closing one frees a slot', async () => {
    const { manager, owner } = setup({ extra: '[agents]\nmax_threads = 2' });
    server.route('task A', turn({ text: 'A done' }));
    server.route('task B', turn({ text: 'B done' }));
    server.route('task C', turn({ text: 'C done' }));
    const a = await manager.spawn(owner, { message: 'task A' });
    const b = await manager.spawn(owner, { message: 'task B' });
    await manager.wait([a.id], 10_000, never);
    await manager.wait([b.id], 10_000, never);
    await expect(manager.spawn(owner, { message: 'task C' })).rejects.toThrow(CollabError);
    await expect(manager.spawn(owner, { message: 'task C' })).rejects.toThrow(
      new RegExp(`2 are open and agents.max_threads is 2. Close finished ones with close_agent first: ${a.id} \\(${a.nickname}\\), ${b.id}`),
    );
    expect(manager.close(a.id)).toEqual({ completed: 'A done' });
    const c = await manager.spawn(owner, { message: 'task C' });
    expect((await manager.wait([c.id], 10_000, never)).status[c.id]).toEqual({ completed: 'C done' });
    // Reopening past the limit is refused too.
    expect(() => manager.resume(a.id)).toThrow(/cannot reopen agent .* agents.max_threads is 2/);
  });

  it('depth: a helper at the limit cannot spawn; the limit can be raised', async () => {
    const { manager, owner } = setup();
    await expect(manager.spawn({ ...owner, depth: 1 }, { message: 'x' })).rejects.toThrow(/cannot spawn an agent at depth 2: agents.max_depth is 1/);
    expect(manager.canSpawnFrom(1)).toBe(false);
    expect(setup({ extra: '[agents]\nmax_depth = 2' }).manager.canSpawnFrom(1)).toBe(true);
  });

  it('bad requests are errors the model can act on: unknown agent type, unknown model, empty task, unknown ids', async () => {
    const { manager, owner } = setup();
    await expect(manager.spawn(owner, { message: 'x', agentType: 'wizard' })).rejects.toThrow('unknown agent_type `wizard`. Available: default, worker, explorer');
    await expect(manager.spawn(owner, { message: 'x', model: 'gpt-nope' })).rejects.toThrow(/^Unknown model `gpt-nope` for spawn_agent\. Available models: .*gpt-5\.4-mini/);
    await expect(manager.spawn(owner, { message: '  ' })).rejects.toThrow(/non-empty `message`/);
    expect(() => manager.send('nobody', 'hi', false)).toThrow('no agent with id nobody: no agent was spawned in this session');
    expect(() => manager.close('nobody')).toThrow(/no agent with id nobody/);
    return expect(manager.wait(['nobody'], 10, never)).rejects.toThrow(/no agent with id nobody/);
  });
});

describe('lifecycle', () => {
  it('a wait times out with the agents still running; close interrupts, closing twice and sending to a closed agent are errors; resume reopens', async () => {
    const { manager, owner } = setup();
    server.route('slow task', hang());
    const a = await manager.spawn(owner, { message: 'slow task' });
    const waited = await manager.wait([a.id], 50, never);
    expect(waited).toEqual({ status: { [a.id]: 'running' }, timed_out: true });
    expect(manager.close(a.id)).toBe('running');
    expect((await manager.wait([a.id], 5_000, never)).status[a.id]).toBe('shutdown');
    expect(() => manager.close(a.id)).toThrow(`agent ${a.id} (${a.nickname}) is already closed`);
    expect(() => manager.send(a.id, 'more', false)).toThrow(/is closed; reopen it with resume_agent/);
    expect(manager.resume(a.id)).toBe('interrupted');
    expect(() => manager.resume(a.id)).toThrow(/is not closed/);
  });

  it('a helper whose request fails is errored with the reason; more input runs it again', async () => {
    const { manager, owner } = setup();
    server.route('fragile task', failWith(400, { error: { message: 'bad request body', type: 'invalid_request_error', param: null, code: null } }), turn({ text: 'fine now' }));
    const a = await manager.spawn(owner, { message: 'fragile task' });
    const status = (await manager.wait([a.id], 10_000, never)).status[a.id];
    expect(status).toMatchObject({ errored: expect.stringMatching(/bad request body/) });
    manager.send(a.id, 'try again', false);
    await expect.poll(() => manager.get(a.id)?.status, { timeout: 10_000, interval: 10 }).toEqual({ completed: 'fine now' });
  });

  it('helpers run at the same time: both are mid-request before either answers', async () => {
    const { manager, owner } = setup();
    server.route('left half', hang());
    server.route('right half', hang());
    const a = await manager.spawn(owner, { message: 'left half' });
    const b = await manager.spawn(owner, { message: 'right half' });
    await expect.poll(() => server.requests.length, { timeout: 10_000, interval: 10 }).toBe(2);
    expect([manager.get(a.id)?.status, manager.get(b.id)?.status]).toEqual(['running', 'running']);
    expect(a.nickname).not.toBe(b.nickname);
    manager.interruptTree(owner.threadId);
    await manager.shutdown();
    expect([manager.get(a.id)?.status, manager.get(b.id)?.status]).toEqual(['interrupted', 'interrupted']);
  });

  it('interrupting the parent’s turn interrupts its helpers', async () => {
    const { manager, owner } = setup();
    server.route('endless task', hang());
    const a = await manager.spawn(owner, { message: 'endless task' });
    await expect.poll(() => server.requests.length, { timeout: 10_000, interval: 10 }).toBe(1);
    manager.interruptTree(owner.threadId);
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toBe('interrupted');
  });

  it('input sent while a helper works waits for its turn to end; with interrupt it replaces the work', async () => {
    const { manager, owner } = setup();
    // Routes are tried in order: the second request holds both messages.
    server.route('urgent', turn({ text: 'urgent handled' }));
    server.route('first task', hang());
    const a = await manager.spawn(owner, { message: 'first task' });
    await expect.poll(() => server.requests.length, { timeout: 10_000, interval: 10 }).toBe(1);
    expect(manager.send(a.id, 'urgent', true)).toMatch(/^[0-9a-f-]{36}$/);
    // A wait right after the send sees the new work's outcome, not the interrupted one.
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'urgent handled' });
  });

  it('a wait right after more input is sent to a finished helper returns the new answer, not the old one', async () => {
    const { manager, owner } = setup();
    server.route('second question', turn({ text: 'second answer' }));
    server.route('first question', turn({ text: 'first answer' }));
    const a = await manager.spawn(owner, { message: 'first question' });
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'first answer' });
    manager.send(a.id, 'second question', false);
    expect(manager.get(a.id)?.status).toBe('running');
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'second answer' });
  });
});

describe('usage, cost and approvals', () => {
  it('counts each helper’s tokens and cost (where the catalog has prices), and the total', async () => {
    // USD per million tokens, as a model_catalog_json file may give them.
    const priced: Catalog = {
      ...SHIPPED_CATALOG,
      models: SHIPPED_CATALOG.models.map((m) => (m.slug === 'gpt-5.4-mini' ? { ...m, price: { input: 0.5, cached_input: 0.05, output: 4 } } : m)),
    };
    const { manager, owner } = setup({ catalog: priced });
    server.route('costly task', turn({ text: 'ok', usage: { input: 1_000_000, output: 100_000 } }));
    const a = await manager.spawn(owner, { message: 'costly task' });
    await manager.wait([a.id], 10_000, never);
    const info = manager.get(a.id);
    expect(info?.model).toBe('gpt-5.4-mini');
    expect(info?.usage).toMatchObject({ input_tokens: 1_000_000, output_tokens: 100_000 });
    expect(info?.cost_usd).toBeCloseTo(0.5 + 0.4, 6);
    expect(manager.total()).toMatchObject({ count: 1, cost_usd: expect.closeTo(0.9, 6), usage: { input_tokens: 1_000_000, output_tokens: 100_000 } });
    // Without prices, the cost is unknown rather than 0.
    const { manager: unpriced, owner: o2 } = setup();
    server.route('cheap task', turn({ text: 'ok', usage: { input: 10, output: 1 } }));
    const b = await unpriced.spawn(o2, { message: 'cheap task' });
    await unpriced.wait([b.id], 10_000, never);
    expect(unpriced.get(b.id)?.cost_usd).toBeNull();
    expect(unpriced.total().cost_usd).toBeNull();
  });

  it('an approval a helper asks for names the helper', async () => {
    const questions: ApprovalQuestion[] = [];
    const { manager, owner } = setup({ untrusted: true, approver: { ask: async (q) => (questions.push(q), { answer: 'deny' }) } });
    const command = (req: RecordedRequest) => {
      const names = ((req.body?.tools ?? []) as Array<{ name?: string }>).map((t) => t.name);
      if (names.includes('exec_command')) return turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: 'touch made-by-helper' } }] });
      if (names.includes('shell_command')) return turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'touch made-by-helper' } }] });
      return turn({ toolCalls: [{ name: 'shell', arguments: { command: ['touch', 'made-by-helper'] } }] });
    };
    server.route('make a file', dynamic(command), turn({ text: 'it was refused' }));
    const a = await manager.spawn(owner, { message: 'make a file', agentType: 'worker' });
    expect((await manager.wait([a.id], 10_000, never)).status[a.id]).toEqual({ completed: 'it was refused' });
    expect(questions).toHaveLength(1);
    expect(questions[0]?.agent).toEqual({ id: a.id, nickname: a.nickname, role: 'worker' });
  });
});

describe('agent types', () => {
  const reviewer =
    'name = "reviewer"\ndescription = "reviews diffs"\ndeveloper_instructions = "REVIEWER-RULES: report bugs only"\nmodel = "gpt-5.5"\n' +
    'sandbox_mode = "danger-full-access"\n';
  const developerText = (req: RecordedRequest | undefined): string =>
    JSON.stringify(((req?.body?.input ?? []) as Array<{ role?: string }>).filter((i) => i.role === 'developer'));

  it('a custom agent runs on its model with its instructions, never in a wider sandbox than the session’s', async () => {
    const { manager, owner } = setup({ files: { 'agents/reviewer.toml': reviewer } });
    server.route('review the diff', turn({ text: 'no bugs' }));
    const a = await manager.spawn(owner, { message: 'review the diff', agentType: 'reviewer' });
    await manager.wait([a.id], 10_000, never);
    const req = server.requests.find((q) => q.rawBody.includes('review the diff'));
    expect(req?.body?.model).toBe('gpt-5.5');
    expect(developerText(req)).toContain('REVIEWER-RULES: report bugs only');
    expect(developerText(req)).toContain('Sandbox: `workspace-write`');
    expect(manager.get(a.id)).toMatchObject({ role: 'reviewer', nickname: expect.any(String) });
  });

  it('the built-in explorer runs read-only, with its instructions', async () => {
    const { manager, owner } = setup();
    server.route('where is main defined', turn({ text: 'src/main.ts:1' }));
    const a = await manager.spawn(owner, { message: 'where is main defined', agentType: 'explorer' });
    await manager.wait([a.id], 10_000, never);
    const text = developerText(server.requests.find((q) => q.rawBody.includes('where is main defined')));
    expect(text).toContain('Sandbox: `read-only`');
    expect(text).toContain('You are an explorer');
  });
});

describe('which model a helper runs on', () => {
  function ctx(extra = '', files: Record<string, string> = {}) {
    const loaded = loadConfig({ home: homeWith(extra, files), env });
    const settings = agentSettings(loaded.config);
    const roles = roleBook(loadAgentRoles(loaded).roles);
    return { c: { catalog: SHIPPED_CATALOG, loaded, env, settings, roles }, roles };
  }
  const parent = (slug: string) => ({ model: lookupModel(SHIPPED_CATALOG, slug), providerId: 'mock', effort: undefined });

  it('gpt-5.4-mini under a gpt-5.4 parent; the parent’s model otherwise', () => {
    const { c, roles } = ctx();
    const role = roles.get('default')!;
    expect(chooseChildModel(c, parent('gpt-5.4'), { role })).toMatchObject({ model: { requested: 'gpt-5.4-mini' }, from: 'catalog advice' });
    expect(chooseChildModel(c, parent('gpt-5.5'), { role })).toMatchObject({ model: { requested: 'gpt-5.5' }, from: 'parent' });
  });

  it('explicit model → agent type’s model → agents.default_subagent_model, in that order', () => {
    const agentFile = 'name = "fast"\ndescription = "quick lookups"\ndeveloper_instructions = "be quick"\nmodel = "gpt-5.5"\n';
    const { c, roles } = ctx('[agents]\ndefault_subagent_model = "gpt-5.4"\ndefault_subagent_reasoning_effort = "low"', { 'agents/fast.toml': agentFile });
    const plain = roles.get('default')!;
    const fast = roles.get('fast')!;
    expect(chooseChildModel(c, parent('gpt-5.4'), { role: plain })).toMatchObject({ model: { requested: 'gpt-5.4' }, effort: 'low', from: 'agents.default_subagent_model' });
    expect(chooseChildModel(c, parent('gpt-5.4'), { role: fast })).toMatchObject({ model: { requested: 'gpt-5.5' }, from: 'agent type' });
    expect(chooseChildModel(c, parent('gpt-5.4'), { role: fast, model: 'gpt-5.4-mini', effort: 'high' })).toMatchObject({ model: { requested: 'gpt-5.4-mini' }, effort: 'high', from: 'requested' });
    expect(chooseChildModel(c, parent('gpt-5.4'), { role: plain, effort: 'loud' })).toEqual({ error: expect.stringMatching(/^Unknown reasoning_effort `loud`/) });
  });

  it('a helper can run on another provider (agents.default_subagent_provider)', () => {
    const { c, roles } = ctx(
      '[agents]\ndefault_subagent_model = "local-coder"\ndefault_subagent_provider = "local"\n[model_providers.local]\nname = "Local"\nbase_url = "http://127.0.0.1:9/v1"\nwire_api = "chat"',
    );
    const choice = chooseChildModel(c, parent('gpt-5.4'), { role: roles.get('default')! });
    expect(choice).toMatchObject({ model: { requested: 'local-coder' }, provider: { id: 'local', wire_api: 'chat' } });
    const missing = ctx('[agents]\ndefault_subagent_model = "x"\ndefault_subagent_provider = "nowhere"');
    expect(chooseChildModel(missing.c, parent('gpt-5.4'), { role: missing.roles.get('default')! })).toEqual({ error: expect.stringMatching(/model provider `nowhere`.*is not configured/) });
  });
});
