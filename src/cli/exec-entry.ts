/**
 * The entry of `dist/exec.cjs` (see exec-bundle.ts): the whole CLI as one CommonJS script, for `exec` to run
 * from V8's code cache. The terminal UI is left out of it (scripts/build.mjs), as `exec` never shows it.
 */
export { run } from './run.js';
