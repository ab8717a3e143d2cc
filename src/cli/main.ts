/**
 * The `opencodex` entry point. Kept tiny: `--version` answers without loading anything else; every other
 * command loads the program (and only the modules it needs) on demand.
 */
import { setFlagsFromString } from 'node:v8';
import { VERSION } from '../shared/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`opencodex ${VERSION}\n`);
} else {
  // Node's HTTP client parses responses with a WebAssembly module; optimizing it with TurboFan costs a
  // ~30 MB memory spike on the first request for no gain on our small, streamed bodies. The baseline
  // compiler is enough.
  setFlagsFromString('--liftoff-only');
  const { run } = await import('./run.js');
  process.exitCode = await run(argv);
}
