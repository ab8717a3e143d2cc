/**
 * The `opencodex` entry point. Kept tiny: `--version` answers without loading anything else; every other
 * command loads the program (and only the modules it needs) on demand.
 */
import { VERSION } from '../shared/version.js';

const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`opencodex ${VERSION}\n`);
} else {
  const { run } = await import('./run.js');
  process.exitCode = await run(argv);
}
