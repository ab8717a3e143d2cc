/**
 * Node's module compile cache (src/cli/main.ts): on a Node that has `module.enableCompileCache` (22.1 and
 * later), a command writes the compiled code of the modules it loaded under $TMPDIR/node-compile-cache and a
 * second run still works from it; on Node 20 nothing is written and nothing changes.
 */
import * as nodeModule from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome } from '../support/cli.js';

const hasCache = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe('the module compile cache', () => {
  it(hasCache ? 'is written by the first run and used by the next' : 'is left alone on a Node without it', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ocx-ccache-'));
    const env = { ...process.env, TMPDIR: tmp, NODE_COMPILE_CACHE: undefined, OPENCODEX_HOME: makeHome() } as NodeJS.ProcessEnv;
    const run = () => spawnSync(process.execPath, [CLI, 'models', '--json'], { env, encoding: 'utf8', timeout: 15_000 });
    const first = run();
    expect(first.status).toBe(0);
    const cached = files(join(tmp, 'node-compile-cache'));
    if (!hasCache) {
      expect(cached).toEqual([]);
      return;
    }
    expect(cached.length).toBeGreaterThan(1);
    const second = run();
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });
});
