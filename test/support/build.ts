/** vitest globalSetup: bundle the CLI once so end-to-end tests run the real binary. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../../scripts/build.mjs')], {
    cwd: resolve(import.meta.dirname, '../..'),
    stdio: 'inherit',
  });
}
