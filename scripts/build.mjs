// Bundles the CLI into dist/ with esbuild. The entry stays tiny (fast paths such as --version need
// no other module); everything else is split into chunks loaded on demand.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { opencodex: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require() for Node built-ins; give every ESM chunk one.
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __ocxCreateRequire } from 'node:module';\nconst require = __ocxCreateRequire(import.meta.url);",
  },
  define: { OPENCODEX_VERSION: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
});
