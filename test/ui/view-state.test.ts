/**
 * The UI's state and its named actions, without a terminal: the approval question queue and the one line
 * a refusal leaves, the exit question, the slash popup's highlight and Tab completion, which submitted
 * lines are commands, the `?` list, numbered diffs and ids that do not collide.
 */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import type { ApprovalQuestion } from '../../src/sandbox/index.js';
import { approvalView, commandText, declineLine } from '../../src/ui/approval-view.js';
import { UiController } from '../../src/ui/controller.js';
import { numberedDiff } from '../../src/ui/diff-view.js';
import * as ed from '../../src/ui/editor.js';
import { uniquePrefixes } from '../../src/ui/short-id.js';
import { completeCommand, knownCommand, popupChoice, slashPopup } from '../../src/ui/slash.js';
import { createStyle, stripAnsi } from '../../src/ui/style.js';
import { terminalTitle } from '../../src/ui/view-state.js';
import { bottomView } from '../../src/ui/views.js';
import { terminalTitleSequence } from '../../src/ui/run.js';
import { makeHome } from '../support/cli.js';

const plain = createStyle(false);

function controller(): UiController {
  const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\nsandbox_mode = "workspace-write"\n' });
  const loaded = loadConfig({ home });
  const c = new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: plain,
    env: { PATH: process.env.PATH },
    onExit: () => undefined,
    now: () => 1_000_000,
  });
  c.resize(100, 30);
  return c;
}

const command = (script: string, o: Partial<Extract<ApprovalQuestion, { kind: 'command' }>> = {}): ApprovalQuestion => ({
  kind: 'command',
  argv: ['bash', '-lc', script],
  cwd: '/w/sub',
  reason: 'the command is not on the list of known read-only commands',
  retryWithoutSandbox: false,
  sandbox: 'policy',
  ...o,
});
const patch: ApprovalQuestion = {
  kind: 'patch',
  changes: [{ path: '/w/src/a.ts', kind: 'update', preview: { diff: '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n@@ -20,2 +20,3 @@\n twenty\n+twenty-one\n twenty-two\n', oldText: null, newText: null } }],
  cwd: '/w',
  reason: 'writes outside the writable roots',
};
const history = (c: UiController): string => stripAnsi(c.transcript.history.map((h) => h.text).join('\n'));

describe('approval questions', () => {
  it('shows them one at a time, in order, saying how many wait', async () => {
    const c = controller();
    const first = c.ask(command('touch a'));
    const second = c.ask(command('touch b'));
    let o = c.overlay;
    expect(o?.kind === 'approval' && o.question.kind === 'command' && o.question.argv[2]).toBe('touch a');
    expect(o?.kind === 'approval' && o.waiting).toBe(1);
    c.approve('approve-once');
    await expect(first).resolves.toEqual({ answer: 'approve-once' });
    o = c.overlay;
    expect(o?.kind === 'approval' && o.question.kind === 'command' && o.question.argv[2]).toBe('touch b');
    expect(o?.kind === 'approval' && o.waiting).toBe(0);
    c.approve('approve-session');
    await expect(second).resolves.toEqual({ answer: 'approve-session' });
    expect(c.overlay).toBeNull();
  });

  it('a refusal tells the model (with the reason) and leaves one line saying what was not done', async () => {
    const c = controller();
    const cmd = c.ask(command("printf 'a' > a.txt\nprintf 'b' > b.txt"));
    c.decline('  write them with a patch ');
    await expect(cmd).resolves.toEqual({ answer: 'deny', message: 'exec command rejected by user: write them with a patch' });
    const p = c.ask(patch);
    c.decline();
    await expect(p).resolves.toEqual({ answer: 'deny', message: 'patch rejected by user' });
    expect(history(c)).toContain("✗ Not run: printf 'a' > a.txt … · you declined: write them with a patch");
    expect(history(c)).toContain('✗ Not applied: src/a.ts · you declined');
  });

  it("a declined command's own item is not printed again; an interrupt answers no without a line", async () => {
    const c = controller();
    const q = c.ask(command('touch a'));
    c.decline();
    await q;
    c.applyEvent({ type: 'item.completed', item: { id: 'c1', type: 'command_execution', command: 'touch a', cwd: '/w', aggregated_output: '', exit_code: null, status: 'declined' } });
    expect(history(c).match(/touch a/g)).toHaveLength(1);
    const before = c.transcript.history.length;
    const open = [c.ask(command('touch b')), c.ask(patch)];
    c.cancelApprovals();
    await expect(Promise.all(open)).resolves.toEqual([{ answer: 'deny' }, { answer: 'deny' }]);
    expect(c.transcript.history.length).toBe(before);
    expect(c.overlay).toBeNull();
  });

  it('a question asked while a picker or the exit question is open comes up once that closes', async () => {
    const c = controller();
    const picked = c.pick('Pick one', [{ label: 'a', value: 1 }]);
    const answer = c.ask(command('touch a'));
    expect(c.overlay?.kind).toBe('picker');
    c.endPick(null);
    await expect(picked).resolves.toBeNull();
    expect(c.overlay?.kind).toBe('approval');
    c.approve('approve-once');
    await expect(answer).resolves.toEqual({ answer: 'approve-once' });
    c.askExit();
    const second = c.ask(command('touch b'));
    expect(c.overlay?.kind).toBe('exit');
    c.cancelExit();
    expect(c.overlay?.kind).toBe('approval');
    c.decline();
    await expect(second).resolves.toMatchObject({ answer: 'deny' });
  });

  it('draws the whole command, its directory and why; a patch as its numbered diff, scrolled when long', () => {
    const c = controller();
    void c.ask(command('make build\nmake test', { justification: 'to check the change' }));
    let o = c.overlay;
    if (o?.kind !== 'approval') throw new Error('no question');
    let view = approvalView(o, plain, '/w', 20, 100);
    expect(view).toMatch(/Allow this command\?\n {2}\$ make build\n {4}make test\n {2}in \/w\/sub\n {2}why: the command is not on the list of known read-only commands\n {2}the model says: to check the change\n\n› 1\. Yes, once/);
    c.decline();
    void c.ask(patch);
    o = c.overlay;
    if (o?.kind !== 'approval') throw new Error('no question');
    view = approvalView(o, plain, '/w', 30, 100);
    expect(view).toMatch(/• Edit src\/a\.ts \(\+2 -1\)\n\s+1  one\n\s+2 -two\n\s+2 \+TWO\n\s+3  three\n\s+⋮\n\s+20  twenty\n\s+21 \+twenty-one\n\s+22  twenty-two/);
    // Too long for the room: a window of it, saying where, and PgDn moves it (within the end).
    view = approvalView(o, plain, '/w', 12, 100);
    expect(view).toMatch(/lines 1–4 of 9 · PgUp\/PgDn to scroll/);
    c.scrollApproval(100, 5);
    o = c.overlay;
    if (o?.kind !== 'approval') throw new Error('no question');
    expect(o.scroll).toBe(5);
    expect(approvalView(o, plain, '/w', 12, 100)).toMatch(/lines 6–9 of 9/);
  });

  it('colours added and removed lines and numbers removed lines by their old number', () => {
    const lines = numberedDiff({ path: 'a.ts', kind: 'update', diff: '@@ -5,2 +5,2 @@\n-old\n+new\n same\n' }, createStyle(true));
    expect(lines[1]).toMatch(/5\u001b\[22m \u001b\[31m-old/);
    expect(lines[2]).toMatch(/5\u001b\[22m \u001b\[32m\+new/);
    expect(stripAnsi(lines[3] as string)).toMatch(/6 {2}same/);
    expect(commandText(['git', 'commit', '-m', 'two words'])).toBe("git commit -m 'two words'");
    expect(declineLine(command('x', { retryWithoutSandbox: true }), '', plain)).toBe('✗ Not run again without the sandbox: x · you declined');
  });
});

describe('the exit question', () => {
  it('is asked with Cancel highlighted, and cancelled without leaving', () => {
    const c = controller();
    c.askExit();
    expect(c.overlay).toEqual({ kind: 'exit', selected: 0 });
    expect(stripAnsi(bottomView(c.getSnapshot(), plain, '/w', 10))).toMatch(/Exit opencodex\?.*\n› 1\. Cancel \(c\)\n {2}2\. Exit \(x\)/);
    c.moveExitSelection(1);
    expect(c.overlay).toEqual({ kind: 'exit', selected: 1 });
    c.cancelExit();
    expect(c.overlay).toBeNull();
    expect(c.exiting).toBe(false);
  });
});

describe('slash commands', () => {
  it('only a known command name makes a line a command; a path is a prompt', () => {
    expect(knownCommand('/status')).toBe('status');
    expect(knownCommand('  /Model gpt-5.4')).toBe('model');
    expect(knownCommand('/exit')).toBe('exit');
    expect(knownCommand('/etc/hosts looks wrong')).toBeNull();
    expect(knownCommand('/stat')).toBeNull();
    expect(knownCommand('/status\nmore')).toBeNull();
    expect(slashPopup('/etc/hosts is broken')).toEqual([]);
    expect(slashPopup('/zz')).toEqual([]);
  });

  it('Tab completes only what every match shares', () => {
    expect(completeCommand('/r')).toBe('/re');
    expect(completeCommand('/re')).toBeNull();
    expect(completeCommand('/res')).toBe('/resume ');
    expect(completeCommand('/st')).toBe('/status ');
    expect(completeCommand('/zz')).toBeNull();
    expect(completeCommand('/status now')).toBeNull();
  });

  it('the popup has a highlight that moves (wrapping) and starts over when the text changes', () => {
    const c = controller();
    c.setEditor(ed.insert(c.editor, '/re'));
    expect(slashPopup(c.editor.text).map((x) => x.name)).toEqual(['review', 'resume', 'rename']);
    expect(popupChoice(c.editor.text, c.slashSelected)?.name).toBe('review');
    c.moveSlashSelection(1);
    expect(popupChoice(c.editor.text, c.slashSelected)?.name).toBe('resume');
    expect(stripAnsi(bottomView(c.getSnapshot(), plain, '/w', 10))).toMatch(/ {2}\/review .*\n› \/resume /);
    c.moveSlashSelection(2);
    expect(c.slashSelected).toBe(0);
    c.moveSlashSelection(-1);
    expect(c.slashSelected).toBe(2);
    c.setEditor(ed.insert(c.editor, 'n'));
    expect(c.slashSelected).toBe(0);
    // A complete name comes first: Enter runs it, not a longer one.
    expect(popupChoice('/new', 0)?.name).toBe('new');
  });

  it('? shows the shortcuts under an empty prompt; typing hides them', () => {
    const c = controller();
    c.toggleShortcuts();
    expect(stripAnsi(bottomView(c.getSnapshot(), plain, '/w', 30))).toMatch(/Shortcuts\n\s+enter\s+send the prompt/);
    c.setEditor(ed.insert(c.editor, 'h'));
    expect(bottomView(c.getSnapshot(), plain, '/w', 30)).not.toContain('Shortcuts');
  });
});

describe('short ids', () => {
  it('are the shortest prefixes (at least the minimum) no other id shares', () => {
    const ids = ['019aa1b2-0000-7000-8000-000000000001', '019aa1b2-0000-7000-8000-000000000002', '019aa1b3-1111-7000-8000-000000000003'];
    const short = uniquePrefixes(ids, 8);
    expect(short).toEqual(['019aa1b2-0000-7000-8000-000000000001', '019aa1b2-0000-7000-8000-000000000002', '019aa1b3']);
    expect(new Set(uniquePrefixes(['019aa1b2-c1', '019aa1b2-c2', '019aa1b2-d3'], 8)).size).toBe(3);
    // Never cut right after a separator.
    expect(uniquePrefixes(['019aa1b2-abc', '019aa1b3-abc'], 8)).toEqual(['019aa1b2', '019aa1b3']);
    expect(uniquePrefixes(['019aa1b2-abc', '019aa1b2-xbc'], 8)).toEqual(['019aa1b2-a', '019aa1b2-x']);
  });
});

describe('the terminal title', () => {
  it('says the project and whether the session works or waits for an answer; control characters are removed', () => {
    expect(terminalTitle('proj', { running: false, asking: false })).toBe('opencodex: proj');
    expect(terminalTitle('proj', { running: true, asking: false })).toBe('opencodex: proj (working)');
    expect(terminalTitle('proj', { running: true, asking: true })).toBe('[!] opencodex: proj (action required)');
    expect(terminalTitleSequence('a\u0007b\u001b]52;c;x\u001b\\')).toBe('\u001b]0;ab]52;c;x\\\u001b\\');
    const c = controller();
    void c.ask(command('touch a'));
    expect(c.getSnapshot().title).toMatch(/^\[!\] opencodex: .* \(action required\)$/);
  });
});
