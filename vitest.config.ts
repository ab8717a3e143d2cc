import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { OPENCODEX_VERSION: JSON.stringify('0.0.0-test') },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 20000,
    hookTimeout: 20000,
  },
});
