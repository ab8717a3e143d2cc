/** Component tests of the main views, rendered with ink-testing-library (no terminal, no network). */
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import type { ApprovalQuestion } from '../../src/sandbox/index.js';
import { App } from '../../src/ui/components/App.js';
import { UiController } from '../../src/ui/controller.js';
import { formatAnswer } from '../../src/ui/format.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';

/** Polls until `ok` holds (ink renders after the event that changed the state); fails after 5 s with `show()`. */
async function until(ok: () => boolean, show: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out; the frame was:\n${show()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The last frame once it matches `test` (a string it contains, or a pattern). */
async function frameWith(r: { lastFrame: () => string | undefined }, test: string | RegExp): Promise<string> {
  const ok = (f: string) => (typeof test === 'string' ? f.includes(test) : test.test(f));
  await until(() => ok(r.lastFrame() ?? ''), () => r.lastFrame() ?? '');
  return r.lastFrame() ?? '';
}

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function setup(extra = '') {
  const home = makeHome({ 'config.toml': `model = "gpt-5.4"\nmodel_reasoning_effort = "high"\nsandbox_mode = "workspace-write"\n${extra}` });
  const loaded = loadConfig({ home });
  const catalog = SHIPPED_CATALOG;
  let exited = false;
  const controller = new UiController({
    settings: { loaded, catalog, model: lookupModel(catalog, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: createStyle(false),
    env: { PATH: process.env.PATH },
    onExit: () => (exited = true),
    now: () => 1_000_000,
  });
  controller.resize(100, 30);
  const r = render(createElement(App, { controller, now: () => 1_005_000 }));
  unmount = r.unmount;
  return { controller, r, exited: () => exited, home };
}

const command = (command: string): ApprovalQuestion => ({ kind: 'command', argv: ['bash', '-lc', command], cwd: '/w', reason: 'the command could destroy data', retryWithoutSandbox: false, sandbox: 'policy' });

describe('App', () => {
  it('shows the prompt and a footer with model, effort, provider, sandbox, approvals, tokens and context', async () => {
    const { r } = setup();
    const frame = await frameWith(r, 'ask anything');
    expect(frame).toContain('› ');
    expect(frame).toContain('ask anything · / for commands · ? for shortcuts');
    expect(frame).toMatch(/gpt-5\.4 high · openai · workspace-write · approvals: on-request · 0 tokens · 100% context left/);
  });

  it('streams an answer in the live part, then prints it to the history, and shows the working line', async () => {
    const { controller, r } = setup();
    controller.applyEvent({ type: 'turn.started' });
    controller.applyEvent({ type: 'agent_message.delta', delta: '# Title\n\nFirst paragraph with `code`.\n\nSecond par' });
    controller.flush();
    let frame = await frameWith(r, 'Second par');
    expect(frame).toContain('Title');
    expect(frame).toContain('First paragraph with `code`.');
    expect(frame).toContain('Second par');
    // The finished blocks went to the history already; only the unfinished one is live.
    expect(controller.transcript.history.map((h) => h.text).join('\n')).toContain('First paragraph');
    expect(controller.transcript.live.message).toBe('Second par');
    controller.applyEvent({ type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: '# Title\n\nFirst paragraph with `code`.\n\nSecond paragraph.' } });
    controller.flush();
    frame = await frameWith(r, 'Second paragraph.');
    expect(frame).toContain('Second paragraph.');
    expect(controller.transcript.live.message).toBe('');
  });

  it('moves each complete line of a streaming answer to the history, code blocks included, laid out as the whole', async () => {
    const { controller, r } = setup();
    const answer = 'Intro line.\n\n```ts\n' + Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`).join('\n') + '\n```\n\n- one\n- two\n\nDone.';
    controller.applyEvent({ type: 'turn.started' });
    // Streamed in small pieces: everything but the unfinished last line reaches the history at once.
    for (let i = 0; i < answer.length; i += 7) controller.applyEvent({ type: 'agent_message.delta', delta: answer.slice(i, i + 7) });
    const printed = (): string => controller.transcript.history.map((h) => (h.joined ? '' : '\n') + h.text).join('\n');
    expect(printed()).toContain('const v39 = 39;');
    expect(printed()).toContain('• two');
    expect(controller.transcript.live.message).toBe('Done.');
    controller.applyEvent({ type: 'item.completed', item: { id: 'i1', type: 'agent_message', text: answer } });
    // Joined parts have no blank line between them: the history reads as the answer rendered whole.
    const whole = controller.transcript.history.filter((h) => h.text !== '' && !h.text.startsWith('›'));
    expect(whole[0]?.joined).toBeUndefined();
    expect(whole.slice(1).every((h) => h.joined === true)).toBe(true);
    expect(whole.map((h) => h.text).join('\n')).toBe(formatAnswer(answer, createStyle(false)));
    controller.flush();
    expect(await frameWith(r, 'Done.')).toMatch(/const v39 = 39;\n\n• one\n• two\n\nDone\./);
  });

  it('wraps long history lines under their text (hanging indents), in the live part too', async () => {
    const { controller, r } = setup();
    controller.error(`failed: ${'reason '.repeat(20)}end`);
    controller.applyEvent({ type: 'turn.started' });
    controller.applyEvent({ type: 'agent_message.delta', delta: `- ${'item '.repeat(25)}tail` });
    controller.flush();
    const frame = await frameWith(r, 'tail');
    expect(frame).toMatch(/■ failed: reason[^\n]*\n {2}reason[^\n]*end\n/);
    expect(frame).toMatch(/• item[^\n]*\n {2}item[^\n]*tail/);
  });

  it('shows streaming reasoning as Markdown, dimmed as a whole', async () => {
    const { controller, r } = setup();
    controller.applyEvent({ type: 'turn.started' });
    controller.applyEvent({ type: 'reasoning.delta', delta: '**Planning** the `change`\n\n- read the file' });
    controller.flush();
    // (Without colour, emphasis keeps its markers; the list is drawn as a list.)
    const frame = await frameWith(r, 'read the file');
    expect(frame).toMatch(/Planning\*\* the `change`\n\n\s*• read the file/);
    expect(frame).not.toContain('- read');
  });

  it('shows a running command with its output, then its status and collapsed output', async () => {
    const { controller, r, home } = setup();
    const item = { id: 'c1', type: 'command_execution' as const, command: "bash -lc 'seq 1 10'", cwd: home, aggregated_output: '', exit_code: null, status: 'in_progress' as const };
    controller.applyEvent({ type: 'item.started', item });
    controller.applyEvent({ type: 'command_output.delta', item_id: 'c1', delta: '1\n2\n3\n' });
    controller.flush();
    expect(await frameWith(r, '│ 3')).toMatch(/• Running seq 1 10\n\s+│ 1\n\s+│ 2\n\s+│ 3/);
    controller.applyEvent({ type: 'item.completed', item: { ...item, aggregated_output: '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n', exit_code: 0, status: 'completed' } });
    controller.flush();
    const frame = await frameWith(r, '✓ seq 1 10');
    expect(frame).toMatch(/✓ seq 1 10 exit 0/);
    // Long output keeps its start and its end (where errors are), the middle counted.
    expect(frame).toMatch(/✓ seq 1 10 exit 0.*\n\s+│ 1\n\s+│ 2\n\s+… \+6 lines \(ctrl\+o shows them\)\n\s+│ 9\n\s+│ 10\n/);
    // Ctrl-O prints all of it.
    r.stdin.write('\u000f');
    expect(await frameWith(r, '│ 5')).toMatch(/✓ seq 1 10 exit 0.*\n\s+│ 1\n\s+│ 2\n\s+│ 3\n\s+│ 4\n\s+│ 5\n\s+│ 6\n\s+│ 7\n\s+│ 8\n\s+│ 9\n\s+│ 10\n/);
    r.stdin.write('\u000f');
    await frameWith(r, 'no collapsed command output to show');
    // A command the model ran elsewhere (its workdir) says where.
    controller.applyEvent({ type: 'item.completed', item: { ...item, id: 'c2', cwd: '/srv/other', aggregated_output: '', exit_code: 0, status: 'completed' } });
    controller.flush();
    expect(await frameWith(r, '/srv/other')).toMatch(/✓ seq 1 10 in \/srv\/other exit 0/);
  });

  it('shows a patch with its files and diff, and the plan as a checklist', async () => {
    const { controller, r, home } = setup();
    const item = { id: 'p1', type: 'file_change' as const, changes: [{ path: `${home}/src/a.ts`, kind: 'update' as const }], status: 'in_progress' as const };
    controller.applyEvent({ type: 'item.started', item });
    controller.applyEvent({ type: 'patch.diff', item_id: 'p1', diffs: [{ path: `${home}/src/a.ts`, kind: 'update', diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-old\n+new\n' }] });
    controller.applyEvent({ type: 'item.completed', item: { ...item, status: 'completed' } });
    controller.applyEvent({ type: 'item.started', item: { id: 't1', type: 'todo_list', items: [{ text: 'read', completed: true }, { text: 'write', completed: false }] } });
    controller.flush();
    const frame = await frameWith(r, 'Plan 1/2 done');
    expect(frame).toMatch(/✓ Edited 1 file\n\s+M src\/a\.ts \+1 -1/);
    expect(frame).toMatch(/-old\n\s+\+new/);
    expect(frame).toMatch(/Plan 1\/2 done\n\s+✔ read\n\s+□ write/);
  });

  it('asks about a command and approves once with y', async () => {
    const { controller, r } = setup();
    const answer = controller.ask(command('rm -rf build'));
    controller.flush();
    const frame = await frameWith(r, 'Allow this command?');
    expect(frame).toContain('Allow this command?');
    expect(frame).toContain('$ rm -rf build');
    expect(frame).toContain('why: the command could destroy data');
    expect(frame).toMatch(/› 1\. Yes, once \(y\)/);
    r.stdin.write('y');
    await expect(answer).resolves.toEqual({ answer: 'approve-once' });
  });

  it('denies with an explanation for the model', async () => {
    const { controller, r } = setup();
    const answer = controller.ask({ kind: 'patch', changes: [{ path: '/etc/hosts', kind: 'update' }], cwd: '/w', reason: 'writes outside the writable roots' });
    controller.flush();
    expect(await frameWith(r, 'Apply these changes?')).toContain('Apply these changes?');
    r.stdin.write('\u001b[B');
    await frameWith(r, /› 2\./);
    r.stdin.write('\u001b[B');
    expect(await frameWith(r, /› 3\./)).toMatch(/› 3\. No, and tell the model why/);
    r.stdin.write('\r');
    expect(await frameWith(r, 'Tell the model what to do instead')).toContain('Tell the model what to do instead');
    r.stdin.write('keep it in the repo');
    await frameWith(r, 'keep it in the repo');
    r.stdin.write('\r');
    await expect(answer).resolves.toEqual({ answer: 'deny', message: 'patch rejected by user: keep it in the repo' });
  });

  it('picks from a list with the arrow keys and shows the slash-command menu', async () => {
    const { controller, r } = setup();
    const picked = controller.pick('Pick one', [
      { label: 'alpha', value: 1, section: 'Group' },
      { label: 'beta', detail: 'the second', value: 2 },
    ]);
    controller.flush();
    expect(await frameWith(r, 'Pick one')).toMatch(/Pick one[\s\S]*Group\n›\s*1\. alpha\n\s+2\. beta\s+the second/);
    r.stdin.write('\u001b[B');
    await frameWith(r, /›\s*2\. beta/);
    r.stdin.write('\r');
    await expect(picked).resolves.toBe(2);
    r.stdin.write('/mo');
    expect(await frameWith(r, '/model')).toMatch(/› \/mo[\s\S]*\/model\s+choose the model/);
  });

  it('exits with Ctrl-D on an empty prompt; Ctrl-C asks first (Cancel or Exit) and a second Ctrl-C cancels', async () => {
    const a = setup();
    a.r.stdin.write('\u0004');
    await until(a.exited);
    expect(a.exited()).toBe(true);
    a.r.unmount();
    const b = setup();
    b.r.stdin.write('\u0003');
    expect(await frameWith(b.r, 'Exit opencodex?')).toMatch(/Exit opencodex\?.*\n› 1\. Cancel \(c\)\n  2\. Exit \(x\)/);
    b.r.stdin.write('\u0003');
    expect(await frameWith(b.r, 'ask anything')).not.toContain('Exit opencodex?');
    expect(b.exited()).toBe(false);
    b.r.stdin.write('\u0003');
    await frameWith(b.r, 'Exit opencodex?');
    b.r.stdin.write('x');
    await until(b.exited);
    expect(b.exited()).toBe(true);
  });

  it('shows the estimated cost when the catalog has prices', async () => {
    const { controller, r } = setup();
    const entry = SHIPPED_CATALOG.models.find((m) => m.slug === 'gpt-5.4');
    if (!entry) throw new Error('no gpt-5.4');
    const priced = { ...lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), entry: { ...entry, price: { input: 2, cached_input: 0.2, output: 10 } } };
    controller.session.switchModel({ model: priced, client: { stream: async function* () {} } as never, tools: [] });
    const total = { ...controller.meter.usage, input_tokens: 100_000, output_tokens: 10_000 };
    controller.applyEvent({ type: 'usage.updated', total, last: { ...total, input_tokens: 0, output_tokens: 0 } });
    expect(await frameWith(r, '110k tokens')).toMatch(/110k tokens · 100% context left ·\s+~\$0\.30/);
  });
});
