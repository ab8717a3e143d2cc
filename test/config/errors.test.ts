/**
 * Config errors in one useful line: the allowed values or the expected type, TOML syntax errors saying
 * what was expected at which line:column, file-system errors with the right fix (config.toml is a
 * directory, the home is a file, a symlink loop), and nothing from the file echoed raw.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type LoadOptions } from '../../src/config/index.js';
import { ConfigError } from '../../src/shared/index.js';
import { makeHome, runCli } from '../support/cli.js';

function failure(files: Record<string, string>, options: Omit<LoadOptions, 'home'> = {}): ConfigError {
  try {
    loadConfig({ home: makeHome(files), env: {}, ...options });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** The part of a config error after `invalid config in file …/config.toml: `. */
const what = (toml: string): string => failure({ 'config.toml': toml }).message.replace(/^invalid config in file \S+config\.toml: /, '');

/** A TOML syntax error's `line L, column C: …` part and its hint. */
function syntax(toml: string): string {
  const err = failure({ 'config.toml': toml });
  expect(err.hint).toBe('fix the syntax at that position');
  return err.message.replace(/^\S+config\.toml is not valid TOML: /, '');
}

describe('invalid values name what is allowed', () => {
  it('enums list their values; unions list their values and types', () => {
    expect(what('sandbox_mode = "rw"\n')).toBe('sandbox_mode must be one of "read-only", "workspace-write", "danger-full-access" (got "rw")');
    expect(what('approval_policy = "sometimes"\n')).toBe('approval_policy must be one of "untrusted", "on-failure", "on-request", "never", or a table (got "sometimes")');
    expect(what('approval_policy = { granular = 3 }\n')).toBe('approval_policy.granular must be a table (got the integer 3)');
  });

  it('a value of the wrong type says the expected type', () => {
    expect(what('model_context_window = "abc"\n')).toBe('model_context_window must be a number (got "abc")');
    expect(what('model_context_window = 1.5\n')).toBe('model_context_window must be an integer (got the number 1.5)');
    expect(what('model = 5\n')).toBe('model must be a string (in quotes) (got the integer 5)');
    expect(what('hide_agent_reasoning = "yes"\n')).toBe('hide_agent_reasoning must be a boolean (true or false) (got "yes")');
    expect(what('model_providers = 3\n')).toBe('model_providers must be a table (got the integer 3)');
  });

  it('bounds read as words, not zod defaults', () => {
    expect(what('model_context_window = -1\n')).toBe('model_context_window must be greater than 0 (got the integer -1)');
    expect(what('[history]\nmax_bytes = -3\n')).toBe('history.max_bytes must be at least 0 (got the integer -3)');
    expect(what('model = ""\n')).toBe('model must not be empty (got "")');
    expect(what('[model_providers.x]\nrequest_max_retries = 1000\n')).toBe('model_providers.x.request_max_retries must be at most 100 (got the integer 1000)');
  });

  it('an unknown nested key is a warning naming the file that set it, with a suggestion; --strict-config makes it an error', () => {
    const files = { 'config.toml': '[sandbox_workspace_write]\nfoo = 1\n[model_providers.x]\nbase_ur = "http://h"\n' };
    const loaded = loadConfig({ home: makeHome(files), env: {} });
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /^opencodex is ignoring 2 unrecognized configuration settings: model_providers\.x\.base_ur \(did you mean base_url\?\), sandbox_workspace_write\.foo in file \S+config\.toml \(--strict-config makes this an error\)$/,
      ),
    ]);
    expect(loaded.config.sandbox_workspace_write).not.toHaveProperty('foo');
    const err = failure(files, { strictConfig: true });
    expect(err.message).toMatch(/^2 unrecognized configuration settings \(--strict-config\): model_providers\.x\.base_ur \(did you mean base_url\?\), sandbox_workspace_write\.foo in file \S+config\.toml$/);
    expect(err.hint).toBe('fix or remove them, or run without --strict-config');
  });

  it('control characters from the file are escaped', () => {
    const err = failure({ 'config.toml': 'sandbox_mode = "\\u001b[31mrw\\u0007"\n' });
    expect(err.message).not.toMatch(/[\u0000-\u001f]/);
    expect(err.message).toContain('(got "\\u001b[31mrw\\u0007")');
    // JSON leaves C1 controls (CSI, U+009B) as they are: they are escaped too, as are unknown keys.
    const c1 = failure({ 'config.toml': 'sandbox_mode = "\\u009b31mrw"\n' });
    expect(c1.message).not.toMatch(/[\u0080-\u009f]/);
    expect(c1.message).toContain('(got "\\x9b31mrw")');
    const warned = loadConfig({ home: makeHome({ 'config.toml': '"\\u001b]0;pwned\\u0007" = 1\n' }), env: {} }).warnings;
    expect(warned).toEqual([expect.stringMatching(/^opencodex is ignoring 1 unrecognized configuration setting: "\\u001b\]0;pwned\\u0007" in file \S+ /)]);
    expect(warned[0]).not.toMatch(/[\u0000-\u001f\u0080-\u009f]/);
  });
});

describe('TOML syntax errors say what was expected, and where', () => {
  it.each([
    ['model = "abc\n', `line 1, column 13: unclosed string: expected '"' before the end of the line (a string over several lines takes triple quotes)`],
    ['model = "abc', `line 1, column 9: unclosed string: expected '"' to end the string that starts here (on the same line)`],
    ["model = 'abc", `line 1, column 9: unclosed string: expected "'" to end the string that starts here (on the same line)`],
    ['[model_providers.x\n', "line 1, column 19: unclosed table header: expected ']'"],
    ['[model_providers.x', "line 1, column 2: unclosed table header: expected ']'"],
    ['[[a]\n', "line 1, column 5: unclosed array-of-tables header: expected ']]'"],
    ['a = \n', "line 1, column 5: missing value: expected a value after '=' on the same line"],
    ['model = gpt-5\n', `line 1, column 9: invalid value 'gpt-5': expected a string in quotes, a number, true or false, a date, an array [ … ] or an inline table { … } (a string needs quotes: "gpt-5")`],
    ['a = 1\na = 2\n', 'line 2, column 1: key `a` is defined twice: expected each key once per table'],
    ['[a]\n[a]\n', 'line 2, column 2: table [a] is defined twice: expected each table once'],
    ['x = [1, 2', "line 1, column 10: unclosed array: expected ']'"],
    ['x = [1 2]\n', "line 1, column 8: expected ',' or ']' in the array"],
    ['x = { a = 1', "line 1, column 12: unclosed inline table: expected '}'"],
    ['x = { a = 1 b = 2 }\n', "line 1, column 13: expected ',' or '}' in the inline table (an inline table stays on one line)"],
    ['x = 1 y\n', "line 1, column 7: expected the end of the line after the value, found 'y' (one key = value per line)"],
    ['a b = 1\n', "line 1, column 3: unexpected 'b' in a key: expected '=' (bare keys are letters, digits, '-' and '_'; quote any other key)"],
    ['= 1\n', "line 1, column 1: missing key: expected a key before '='"],
    ['[]\n', 'line 1, column 2: empty table name: expected a name between the brackets'],
  ])('%j', (toml, expected) => {
    expect(syntax(toml)).toBe(expected);
  });

  it('never echoes raw control characters from the file', () => {
    const msg = syntax('model = \u001b]0;title\u0007\n');
    expect(msg).not.toMatch(/[\u0000-\u001f]/);
    expect(msg).toMatch(/^line 1, column 9: invalid value '\\x1b': expected a string in quotes/);
  });
});

describe('reading config.toml and the home: the fix that fits the error', () => {
  const opencodex = (home: string) => runCli(['exec', '--skip-git-repo-check', 'hi'], { home });

  it('config.toml is a directory (EISDIR)', () => {
    const home = makeHome();
    mkdirSync(join(home, 'config.toml'));
    const r = opencodex(home);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: cannot read ${home}/config.toml: it is a directory, not a file (EISDIR) — remove or rename the directory ${home}/config.toml (a file belongs there)\n`);
  });

  it('the home is a file (ENOTDIR)', () => {
    const home = join(mkdtempSync(join(tmpdir(), 'ocx-homefile-')), 'home');
    writeFileSync(home, 'not a directory');
    const r = opencodex(home);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: cannot read ${home}/config.toml: ${home} is a file, not a directory (ENOTDIR) — move ${home} out of the way (a directory belongs there), or point OPENCODEX_HOME at a directory\n`);
  });

  it('config.toml or the home is a symbolic link loop (ELOOP)', () => {
    const home = makeHome();
    symlinkSync(join(home, 'config.toml'), join(home, 'config.toml'));
    const r = opencodex(home);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: cannot read ${home}/config.toml: ${home}/config.toml is a symbolic link that loops (ELOOP) — point the link ${home}/config.toml somewhere real, or remove it\n`);

    const loop = join(mkdtempSync(join(tmpdir(), 'ocx-homeloop-')), 'home');
    symlinkSync(loop, loop);
    const r2 = opencodex(loop);
    expect(r2.stderr).toBe(`error: cannot read ${loop}/config.toml: ${loop} is a symbolic link that loops (ELOOP) — point the link ${loop} somewhere real, or remove it\n`);
  });

  it('a TOML error reaches the terminal as one line', () => {
    const r = opencodex(makeHome({ 'config.toml': '[model_providers.x\nname = "x"\n' }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: \S+config\.toml is not valid TOML: line 1, column 19: unclosed table header: expected '\]' — fix the syntax at that position\n$/);
  });
});
