import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { OPENCODEX_VERSION: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
    // Most of the end-to-end time is spent waiting on child processes (the CLI, bwrap, shells, tmux), not
    // on this process's CPU: one worker more than the cores keeps them busy (vitest's default, cores - 1,
    // is a single worker on a 2-core machine). `--maxWorkers=N` on the command line overrides it.
    maxWorkers: availableParallelism() + 1,
    // A worker runs one file after another without reloading the modules: starting a fresh module graph
    // for each of ~100 files costs more CPU than most of them take to run. No test file leaves state
    // behind (process.env, cwd and stdout are restored by whoever changes them; servers and processes are
    // closed in afterAll); the suite passes with --sequence.shuffle, which also shuffles the files.
    isolate: false,
  },
});
