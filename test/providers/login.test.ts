/** `opencodex login --with-api-key`, `login status`, `logout`, run as the built CLI with its own home. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCli } from '../support/cli.js';

beforeAll(() => {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build.mjs')], { cwd: resolve(import.meta.dirname, '../..'), stdio: 'inherit' });
});

const KEY = 'sk-proj-test0123456789abcdefWXYZ';
const env = { OPENAI_API_KEY: undefined, CODEX_API_KEY: undefined };

describe('login / logout', () => {
  it('stores the key from stdin in auth.json with mode 0600, never printing it', () => {
    const home = makeHome();
    const r = runCli(['login', '--with-api-key'], { home, env, input: `${KEY}\n` });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const path = join(home, 'auth.json');
    expect(r.stdout).toBe(`Logged in using an API key (sk-proj-***WXYZ), stored in ${path}\n`);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ auth_mode: 'apikey', OPENAI_API_KEY: KEY });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain(KEY);
  });

  it('login status reports the stored key masked (exit 0), or "Not logged in" (exit 1)', () => {
    const home = makeHome();
    const before = runCli(['login', 'status'], { home, env });
    expect([before.status, before.stdout]).toEqual([1, 'Not logged in\n']);
    runCli(['login', '--with-api-key'], { home, env, input: KEY });
    const after = runCli(['login', 'status'], { home, env });
    expect(after.status).toBe(0);
    expect(after.stdout).toContain('Logged in using an API key (sk-proj-***WXYZ)');
    expect(after.stdout + after.stderr).not.toContain(KEY);
    const withEnv = runCli(['login', 'status'], { home, env: { OPENAI_API_KEY: 'sk-other-key-123456789' } });
    expect(withEnv.stderr).toBe('note: OPENAI_API_KEY is set in the environment and is used instead of the stored key\n');
  });

  it('logout removes auth.json; a second logout says there is nothing to remove', () => {
    const home = makeHome();
    runCli(['login', '--with-api-key'], { home, env, input: KEY });
    const r = runCli(['logout'], { home, env });
    expect([r.status, r.stdout]).toEqual([0, `Logged out (removed ${join(home, 'auth.json')})\n`]);
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
    expect(runCli(['logout'], { home, env }).stdout).toBe('Not logged in\n');
  });

  it('replacing a key keeps mode 0600 even if the file was loosened', () => {
    const home = makeHome({ 'auth.json': '{"auth_mode":"apikey","OPENAI_API_KEY":"sk-old-000000000"}' });
    const r = runCli(['login', '--with-api-key'], { home, env, input: KEY });
    expect(r.status).toBe(0);
    expect(statSync(join(home, 'auth.json')).mode & 0o777).toBe(0o600);
  });

  it('rejects empty stdin, whitespace inside the key, and login without --with-api-key (exit 2, one line)', () => {
    const home = makeHome();
    const empty = runCli(['login', '--with-api-key'], { home, env, input: '  \n' });
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe('error: no API key on stdin — pipe the key in, e.g. `printenv OPENAI_API_KEY | opencodex login --with-api-key`\n');
    const spaced = runCli(['login', '--with-api-key'], { home, env, input: 'sk-abc def' });
    expect(spaced.status).toBe(2);
    expect(spaced.stderr).toMatch(/^error: the text on stdin is not an API key/);
    expect(spaced.stderr).not.toContain('sk-abc');
    const bare = runCli(['login'], { home, env });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/^error: only API-key login is supported/);
    expect(existsSync(join(home, 'auth.json'))).toBe(false);
  });
});
