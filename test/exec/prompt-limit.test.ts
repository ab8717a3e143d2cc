/**
 * A prompt over 1 MiB characters (Codex's limit, 1,048,576) is refused in one line with a non-zero exit
 * and nothing sent: from stdin (`-` or piped), from the argument (with or without stdin appended), and
 * in the interactive UI, where the text stays in the editor.
 */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { resolvePrompt } from '../../src/exec/index.js';
import { MAX_PROMPT_CHARS, promptTooLong, UserError } from '../../src/shared/index.js';
import { UiController } from '../../src/ui/controller.js';
import { KeyHandler } from '../../src/ui/keys.js';
import { InputParser } from '../../src/ui/input/index.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { gitWorkspace, quietHome, rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const LINE = /^error: the prompt is ([\d,]+) characters long, over the limit of 1,048,576 \(1 MiB\) — shorten it, or save the text to a file in the workspace and ask for that file to be read\n$/;

const homeFor = (): string =>
  makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
  });

describe('the 1 MiB prompt limit', () => {
  it('counts characters (code points), not UTF-16 units or bytes', () => {
    expect(promptTooLong('a'.repeat(MAX_PROMPT_CHARS))).toBeUndefined();
    expect(promptTooLong('😀'.repeat(MAX_PROMPT_CHARS))).toBeUndefined(); // 2 MiB UTF-16 units, 4 MiB UTF-8 bytes
    expect(promptTooLong('a'.repeat(MAX_PROMPT_CHARS + 1))).toMatch(/^the prompt is 1,048,577 characters long/);
    expect(promptTooLong('😀'.repeat(MAX_PROMPT_CHARS + 1))).toMatch(/^the prompt is 1,048,577 characters long/);
  });

  it('resolvePrompt refuses an argument, stdin, or both together, over the limit', async () => {
    const src = (arg: string | undefined, stdin: string | null) => ({
      arg,
      stdinIsTty: stdin === null,
      readStdin: async () => Buffer.from(stdin ?? ''),
      note: () => undefined,
    });
    const half = 'x'.repeat(MAX_PROMPT_CHARS / 2 + 10);
    await expect(resolvePrompt(src('y'.repeat(MAX_PROMPT_CHARS + 1), null))).rejects.toThrow(UserError);
    await expect(resolvePrompt(src(undefined, 'z'.repeat(MAX_PROMPT_CHARS + 1)))).rejects.toThrow(/over the limit of 1,048,576/);
    await expect(resolvePrompt(src(half, half))).rejects.toThrow(/over the limit/);
    expect(await resolvePrompt(src('ok', null))).toBe('ok');
  });

  it.each([
    ['piped stdin', [] as string[]],
    ['stdin with -', ['-']],
  ])('exec refuses a 10 MB prompt from %s, sending nothing', async (_label, extra) => {
    const home = homeFor();
    const r = await runCliAsync(['exec', '--json', ...extra], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, input: 'p'.repeat(10 * 1024 * 1024) });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/^Reading prompt from stdin\.\.\.\n/, '')).toMatch(LINE);
    expect(r.stderr).toContain('the prompt is 10,485,760 characters long');
    expect(server.requests).toHaveLength(0);
    expect(rolloutFiles(home)).toEqual([]);
  });

  it('exec refuses an argument that, with the stdin appended to it, is over the limit', async () => {
    // One argv string cannot exceed 128 KiB on Linux, so an argument alone never reaches the limit there.
    const home = homeFor();
    const r = await runCliAsync(['exec', 'q'.repeat(100_000)], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, input: 'r'.repeat(MAX_PROMPT_CHARS) });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.replace(/^Reading additional input from stdin\.\.\.\n/, '')).toMatch(LINE);
    expect(server.requests).toHaveLength(0);
  });

  it('exec sends a prompt of exactly 1,048,576 characters', async () => {
    server.reply(turn({ text: 'read it all' }));
    const r = await runCliAsync(['exec', '-'], { home: homeFor(), cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, input: 'e'.repeat(MAX_PROMPT_CHARS) });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('read it all\n');
    expect(server.requests).toHaveLength(1);
  });

  it('the interactive UI refuses it, keeps it in the editor, and sends nothing', async () => {
    const home = homeFor();
    const env = { PATH: process.env.PATH, MOCK_KEY: 'k' };
    const loaded = loadConfig({ home, env });
    const c = new UiController({
      settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, env), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
      style: createStyle(false),
      env,
      onExit: () => undefined,
    });
    const keys = new KeyHandler(c);
    const text = 'u'.repeat(MAX_PROMPT_CHARS + 5);
    keys.dispatch(new InputParser().push(`\u001b[200~${text}\u001b[201~\r`));
    expect(c.editor.text).toBe(text);
    expect(c.running).toBe(false);
    const last = c.transcript.history[c.transcript.history.length - 1]?.text ?? '';
    expect(last).toContain('the prompt is 1,048,581 characters long, over the limit of 1,048,576 (1 MiB) — shorten it');
    c.send(text); // e.g. the prompt given on the command line
    expect(c.running).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});
