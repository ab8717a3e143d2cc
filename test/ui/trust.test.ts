/**
 * The first-run trust question: the component (ink-testing-library), when it is asked, and end to end in
 * tmux — the answer is written where Codex writes it and the session starts with it.
 */
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { parse } from 'smol-toml';
import { createElement } from 'react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { TrustPrompt, type TrustAnswer } from '../../src/ui/components/TrustPrompt.js';
import { createStyle } from '../../src/ui/style.js';
import { needsTrustQuestion } from '../../src/ui/trust.js';
import { makeHome } from '../support/cli.js';
import { gitWorkspace } from '../support/e2e.js';
import { startScriptedServer, turn, type ScriptedServer } from '../support/scripted-server.js';
import { Terminal } from './tmux.js';

const tick = () => new Promise((r) => setTimeout(r, 20));

/** Polls a condition against a deadline (no fixed sleep decides the outcome). */
async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await tick();
  }
}

function prompt(cwd = '/work/app', target = '/work/app') {
  const answers: TrustAnswer[] = [];
  const r = render(createElement(TrustPrompt, { cwd, target, style: createStyle(false), onAnswer: (a) => answers.push(a) }));
  return { r, answers };
}

describe('TrustPrompt', () => {
  it('asks about the directory, with two answers and a way out', async () => {
    const { r } = prompt('/work/app/pkg', '/work/app');
    await until(() => (r.lastFrame() ?? '').includes('Press Enter'));
    const frame = r.lastFrame() ?? '';
    const flat = frame.replace(/\s+/g, ' ');
    expect(frame).toContain('> You are in /work/app/pkg');
    expect(flat).toContain('Do you trust the contents of this directory?');
    expect(flat).toContain('(the answer is recorded for /work/app)');
    expect(frame).toContain('› 1. Yes, trust this directory');
    expect(frame).toContain('  2. No, ask me to approve edits and commands');
    expect(frame).toContain('Press Enter to continue, Esc to quit');
    r.unmount();
  });

  it.each([
    ['Enter', 'trusted', ['\r']],
    ['Down, Enter', 'untrusted', ['\u001b[B', '\r']],
    ['Down, Up, Enter', 'trusted', ['\u001b[B', '\u001b[A', '\r']],
    ['1', 'trusted', ['1']],
    ['y', 'trusted', ['y']],
    ['2', 'untrusted', ['2']],
    ['n', 'untrusted', ['n']],
    ['Esc', 'quit', ['\u001b']],
    ['q', 'quit', ['q']],
    ['Ctrl+C', 'quit', ['\u0003']],
    ['2 and Enter in one chunk', 'untrusted', ['2\r']],
    ['Down and Enter in one chunk', 'untrusted', ['\u001b[B\r']],
  ])('%s answers %s, once', async (_name, want, keys) => {
    const { r, answers } = prompt();
    await until(() => (r.lastFrame() ?? '').includes('Press Enter'));
    await tick(); // lets ink subscribe to input after the first frame (an ordering, not a timing)
    for (const k of keys) {
      r.stdin.write(k);
      // An arrow key moves the selection before the next key is read.
      if (k === '\u001b[B') await until(() => (r.lastFrame() ?? '').includes('› 2.'));
      if (k === '\u001b[A') await until(() => (r.lastFrame() ?? '').includes('› 1.'));
    }
    await until(() => answers.length > 0);
    r.stdin.write('1');
    await tick();
    expect(answers).toEqual([want]);
    r.unmount();
  });
});

describe('needsTrustQuestion', () => {
  const cwd = gitWorkspace();
  const ask = (toml: string, flags: Parameters<typeof loadConfig>[0]['flags'] = []) =>
    needsTrustQuestion(loadConfig({ home: makeHome({ 'config.toml': toml }), env: {}, cwd, flags }));

  it('asks in a project with no decision, unless the sandbox or the approval policy was chosen', () => {
    expect(ask('')).toBe(true);
    expect(ask(`[projects.${JSON.stringify(cwd)}]\ntrust_level = "untrusted"\n`)).toBe(false);
    expect(ask('sandbox_mode = "read-only"\n')).toBe(false);
    expect(ask('approval_policy = "never"\n')).toBe(false);
    expect(ask('', [{ path: ['sandbox_mode'], value: 'workspace-write', flag: '--full-auto' }])).toBe(false);
  });
});

describe('the trust question in a terminal', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const homeToml = () => `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`;
  const trustOf = (home: string, dir: string) =>
    ((parse(readFileSync(join(home, 'config.toml'), 'utf8')) as { projects?: Record<string, { trust_level?: string }> }).projects ?? {})[dir]?.trust_level;

  it('yes: writes trust_level = "trusted" for the project, then the session runs in workspace-write with its config; not asked again', async () => {
    server.reset();
    const ws = realpathSync(gitWorkspace({ '.codex/config.toml': 'model = "gpt-5.2"\n', 'pkg/.keep': '' }));
    const home = makeHome({ 'config.toml': homeToml() });
    const env = { OPENCODEX_HOME: home, HOME: mkdtempSync(join(tmpdir(), 'ocx-ui-user-')), MOCK_KEY: 'k' };
    const term = await Terminal.start({ args: [], cwd: join(ws, 'pkg'), env });
    try {
      await term.waitFor(/Do you trust the contents of this directory\?/);
      await term.press('Enter');
      const screen = await term.waitFor(/sandbox:\s+workspace-write/);
      expect(screen).toMatch(/model:\s+gpt-5\.2/);
      expect(screen).toContain(`${ws} is now trusted (trust_level in ${home}/config.toml)`);
      expect(trustOf(home, ws)).toBe('trusted');
      expect(readFileSync(join(home, 'config.toml'), 'utf8')).toContain(`[projects.${JSON.stringify(ws)}]\ntrust_level = "trusted"\n`);
      server.reply(turn({ text: 'hello back' }));
      await term.submit('hi');
      // The turn over (no working line), then Ctrl-C and Exit, once the screen has taken the one before.
      await term.waitFor((screen) => /hello back/.test(screen) && !/esc to interrupt/.test(screen));
      expect((server.requests[0]?.body as { model?: string }).model).toBe('gpt-5.2');
      await term.press('C-c');
      await term.waitFor(/Exit opencodex\?/);
      await term.press('x');
      await term.waitFor(/\[exit 0\]/);
    } finally {
      await term.close();
    }
    const again = await Terminal.start({ args: [], cwd: ws, env });
    try {
      await again.waitFor(/sandbox:\s+workspace-write/);
      expect(await again.all()).not.toMatch(/Do you trust/);
    } finally {
      await again.close();
    }
  });

  it('no: writes "untrusted" (workspace-write, every command asked about); Esc quits and writes nothing', async () => {
    const ws = realpathSync(gitWorkspace());
    const home = makeHome({ 'config.toml': homeToml() });
    const env = { OPENCODEX_HOME: home, HOME: mkdtempSync(join(tmpdir(), 'ocx-ui-user-')), MOCK_KEY: 'k' };
    const quit = await Terminal.start({ args: [], cwd: ws, env });
    try {
      await quit.waitFor(/Do you trust/);
      await quit.press('Escape');
      await quit.waitFor(/\[exit 0\]/);
      expect(trustOf(home, ws)).toBeUndefined();
    } finally {
      await quit.close();
    }
    const term = await Terminal.start({ args: [], cwd: ws, env });
    try {
      await term.waitFor(/Do you trust/);
      await term.press('2');
      const screen = await term.waitFor(/approvals:\s+untrusted/);
      expect(screen).toMatch(/sandbox:\s+workspace-write/);
      expect(trustOf(home, ws)).toBe('untrusted');
    } finally {
      await term.close();
    }
  });
});
