/**
 * `exec` through a V8 code cache. Compiling the modules `exec` needs is a third of its time before the first
 * request, and Node 20 keeps no compiled code of ES modules between runs. So the build also writes
 * `dist/exec.cjs`, the same CLI (src/cli/exec-entry.ts) as one CommonJS script without the terminal UI, and
 * `exec` runs it through `vm.Script` with V8's cached data: after a run that compiled it, the code V8
 * compiled for it (the functions that ran included) is written to
 * `<home>/cache/code/exec-<bundle hash>-<node version>-<arch>.bin` at the end of the second run in a home
 * (the first leaves a marker, so a home used once pays nothing for it), and later runs start from it; the
 * caches of other bundles (left by an upgrade) are removed then.
 *
 * V8 checks the cache against its own version, flags and the script before using it; a cache it rejects
 * (another Node, other V8 flags, a damaged file) is ignored and written anew after the run. The file name
 * carries the bundle's content hash (computed at build time), so a rebuilt bundle never meets an old cache.
 * The cache lives in the user's own opencodex home, never in a shared temporary directory. Without a
 * bundle (running from source) the caller takes the ES modules as before.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { opencodexHome } from '../shared/index.js';

/** Set by scripts/build.mjs: the bundle's file name beside the entry, and the hash of its content. */
declare const OPENCODEX_EXEC_BUNDLE: { file: string; hash: string } | undefined;

export interface ExecBundle {
  run(argv: string[]): Promise<number>;
}

function bundleInfo(): { file: string; hash: string } | null {
  return typeof OPENCODEX_EXEC_BUNDLE === 'undefined' || OPENCODEX_EXEC_BUNDLE === undefined ? null : OPENCODEX_EXEC_BUNDLE;
}

/** Where the code cache of this bundle is kept for this Node. */
export function codeCachePath(home: string, hash: string): string {
  return join(home, 'cache', 'code', `exec-${hash}-${process.version}-${process.arch}.bin`);
}

/**
 * Whether a run with this cache path happened before (a marker beside it says so; the first run leaves it).
 * Writing the cache costs a run ~20 ms, which a home used once (a throwaway CI or test home) never gets back.
 */
function secondRun(cachePath: string): boolean {
  const marker = `${cachePath}.seen`;
  try {
    statSync(marker);
    return true;
  } catch {
    try {
      mkdirSync(dirname(cachePath), { recursive: true, mode: 0o700 });
      writeFileSync(marker, '');
    } catch {
      // an unwritable home: no cache either
    }
    return false;
  }
}

/** Removes the caches (and markers) of other bundles, which an upgrade left behind; other Nodes' stay. */
function forgetOtherBundles(dir: string, hash: string): void {
  for (const name of readdirSync(dir)) {
    if (/^exec-[0-9a-f]{16}-/.test(name) && !name.startsWith(`exec-${hash}-`)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Loads the exec bundle found in `distDir` (where the entry lives), from its code cache when there is a
 * usable one; null when there is no bundle (running from source) or it cannot be read.
 */
export function loadExecBundle(distDir: string, env: NodeJS.ProcessEnv = process.env): ExecBundle | null {
  const info = bundleInfo();
  if (!info) return null;
  const file = join(distDir, info.file);
  let source: string;
  try {
    // ASCII (the build checks it): read as Latin-1, a plain copy, not UTF-8 decoding (≈ 3 ms for 1 MB).
    source = readFileSync(file, 'latin1');
  } catch {
    return null;
  }
  const cachePath = codeCachePath(opencodexHome(env), info.hash);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
  if ((!cachedData || script.cachedDataRejected) && secondRun(cachePath)) {
    // Written once the run is over, so that the code of every function that ran is in it.
    process.once('exit', () => {
      const tmp = `${cachePath}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(cachePath), { recursive: true, mode: 0o700 });
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, cachePath);
        forgetOtherBundles(dirname(cachePath), info.hash);
      } catch {
        // Not kept: the next run compiles again.
      }
    });
  }
  const module = { exports: {} as Partial<ExecBundle> };
  const wrapper = script.runInThisContext() as (e: object, r: NodeJS.Require, m: object, f: string, d: string) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file));
  const run = module.exports.run;
  return typeof run === 'function' ? { run } : null;
}
