/**
 * The `opencodex` entry point. Kept tiny: `--version` answers without loading anything else; every other
 * command loads the program (and only the modules it needs) on demand.
 */
import * as nodeModule from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { VERSION } from '../shared/version.js';

/**
 * Node ≥ 22.1 keeps the compiled code of the modules loaded after this call on disk (NODE_COMPILE_CACHE, else
 * its default directory under the system's temporary directory), keyed by Node's version and each file's
 * content, so later runs skip most of the compiling. Older Nodes have no such API: nothing happens.
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

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`opencodex ${VERSION}\n`);
} else {
  // Node's HTTP client parses responses with a WebAssembly module; optimizing it with TurboFan costs a
  // ~30 MB memory spike on the first request for no gain on our small, streamed bodies. The baseline
  // compiler is enough.
  setFlagsFromString('--liftoff-only');
  enableCompileCache();
  const { run } = await import('./run.js');
  process.exitCode = await run(argv);
}
