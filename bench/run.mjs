// `npm run bench`: bundles every bench/*.bench.ts with esbuild and runs each in its own Node process.
// Each benchmark prints its own figures (markdown tables) to stdout. Not a test: nothing here fails on a
// slow machine; the figures are for the notes and for spotting regressions.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const only = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

await build({
  entryPoints: files.map((f) => `bench/${f}`),
  outdir: '.bench',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  define: { OPENCODEX_VERSION: JSON.stringify('bench'), 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // ink loads React DevTools only when DEV=true; the benchmarks never do, so it resolves to nothing.
  plugins: [
    {
      name: 'no-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'empty' }));
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export default {};' }));
      },
    },
  ],
  logLevel: 'warning',
});

let failed = 0;
for (const f of files) {
  const out = `.bench/${f.replace(/\.ts$/, '.mjs')}`;
  process.stdout.write(`\n## ${f.replace(/\.bench\.ts$/, '')}\n\n`);
  const r = spawnSync(process.execPath, [out], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
