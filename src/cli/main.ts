/**
 * The `opencodex` entry point, bundled as a small CommonJS script (dist/opencodex.js: Node starts it without
 * its ES-module loader). `--version` answers without loading anything else; `exec` runs from the
 * code-cached bundle (exec-bundle.ts); every other command loads the program as ES modules, on demand.
 */
import * as nodeModule from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { VERSION } from '../shared/version.js';

/**
 * Node ≥ 22.1 keeps the compiled code of the ES modules loaded after this call on disk (NODE_COMPILE_CACHE,
 * else its default directory under the system's temporary directory), keyed by Node's version and each
 * file's content, so later runs skip most of the compiling. Older Nodes have no such API: nothing happens.
 */
function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (typeof enable !== 'function') return;
  try {
    enable();
  } catch {
    // A cache that cannot be used costs nothing but the compiling.
  }
}

/** `exec` runs from the code-cached bundle when there is one (exec-bundle.ts); everything else as ES modules. */
async function runCli(args: string[]): Promise<number> {
  if (args[0] === 'exec' || args[0] === 'e') {
    const { loadExecBundle } = await import('./exec-bundle.js');
    // The directory of the bundled entry (dist/); from source there is no bundle and this finds none.
    const bundle = loadExecBundle(__dirname);
    if (bundle) return bundle.run(args);
  }
  enableCompileCache();
  const { run } = await import('./run.js');
  return run(args);
}

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`opencodex ${VERSION}\n`);
} else {
  // Set before anything is compiled, as V8's code caches are tied to its flags. WebAssembly (the terminal
  // UI's layout engine) needs no optimizing compiler: TurboFan would cost a memory spike for no gain. And a
  // code cache is checksummed when written and checked when read (off by default outside V8's debug builds),
  // so a damaged cache file is rejected instead of crashing the process (exec-bundle.ts).
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--verify-snapshot-checksum');
  void runCli(argv).then((code) => {
    process.exitCode = code;
  });
}
