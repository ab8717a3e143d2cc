// Bundles the CLI into dist/ with esbuild. The entry (dist/opencodex.js, CommonJS) stays tiny (fast paths
// such as --version need no other module); `exec` runs dist/exec.cjs (see src/cli/exec-bundle.ts); every other
// command imports dist/run.mjs, whose ES-module chunks load on demand.
// Skips the work when dist/ is newer than every source (test files may call it freely); --force rebuilds.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist');
const stamp = join(out, 'opencodex.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = Math.max(
  newestSource(join(root, 'src')),
  statSync(join(root, 'package.json')).mtimeMs,
  statSync(new URL(import.meta.url).pathname).mtimeMs,
);
if (!process.argv.includes('--force') && existsSync(stamp) && statSync(stamp).mtimeMs >= inputs) process.exit(0);

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const define = { OPENCODEX_VERSION: JSON.stringify(pkg.version), 'process.env.NODE_ENV': '"production"' };
// Build beside dist/ and swap it in, so a CLI run in progress never sees a half-written tree.
const tmp = join(root, `.dist-${process.pid}`);

// dist/exec.cjs: the CLI as one CommonJS script, which `exec` runs from V8's code cache (src/cli/exec-bundle.ts).
// Without the terminal UI (ink needs ES modules and `exec` never shows it) and the editor front ends (the app
// server, ACP and their thread host, with the ACP SDK and ws, which `exec` never runs): importing one there throws.
const execBuild = await build({
  entryPoints: [join(root, 'src/cli/exec-entry.ts')],
  outfile: join(tmp, 'exec.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // vm.Script runs it without a module loader: `import('node:zlib')` becomes a require.
  supported: { 'dynamic-import': false },
  define,
  plugins: [
    {
      name: 'no-ui',
      setup(b) {
        b.onResolve({ filter: /\/(ui|app-server|acp|host)\/index\.js$/ }, (a) => ({ path: /\/([\w-]+)\/index\.js$/.exec(a.path)[1], namespace: 'no-ui' }));
        b.onLoad({ filter: /.*/, namespace: 'no-ui' }, (a) => ({ contents: `throw new Error('src/${a.path} is not part of dist/exec.cjs');`, loader: 'js' }));
      },
    },
  ],
  legalComments: 'none',
  // Every run reads, hashes and parses this file before its first request: without whitespace and with
  // shorter syntax it is 1.1 instead of 1.6 MB (≈ 2.5 ms less per run). Names stay, so stack traces
  // (--debug) still name the functions; which modules it holds is written beside it (exec.inputs.json).
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
});
// exec-bundle.ts reads the bundle as Latin-1 (a copy, ~15× faster than decoding UTF-8), which is only right
// for ASCII: esbuild escapes non-ASCII in strings, but a regular expression keeps what its source has.
{
  const bytes = readFileSync(join(tmp, 'exec.cjs'));
  const at = bytes.findIndex((b) => b > 0x7f);
  if (at !== -1) {
    const context = bytes.subarray(Math.max(0, at - 60), at + 20).toString('utf8');
    throw new Error(`dist/exec.cjs must be ASCII (it is read as Latin-1), but has a non-ASCII byte at ${at}: …${context}… — write the character as \\uXXXX in the source`);
  }
}
writeFileSync(join(tmp, 'exec.inputs.json'), `${JSON.stringify(Object.keys(execBuild.metafile.inputs).sort(), null, 1)}\n`);
const execHash = createHash('sha256').update(readFileSync(join(tmp, 'exec.cjs'))).digest('hex').slice(0, 16);

// Every command but exec: the CLI as ES modules, dist/run.mjs and the chunks it loads on demand.
await build({
  entryPoints: { run: join(root, 'src/cli/run.ts') },
  outdir: tmp,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // Bundled CommonJS dependencies call require() for Node built-ins; give every ESM chunk one.
  banner: { js: "import { createRequire as __ocxCreateRequire } from 'node:module';\nconst require = __ocxCreateRequire(import.meta.url);" },
  // React's production build: no development checks or warnings in the terminal UI.
  define,
  // ink loads React DevTools only when DEV=true (and explains how to install it); never bundle it.
  external: ['react-devtools-core'],
  legalComments: 'none',
  logLevel: 'warning',
});

// dist/opencodex.js, the bin: a small CommonJS script (Node starts one without its ES-module loader) that answers
// --version, runs exec from dist/exec.cjs, and imports dist/run.mjs for everything else. dist/package.json
// makes its .js CommonJS; the chunks are .mjs. It knows the exec bundle's name and content hash (its code
// cache is kept under that hash).
await build({
  entryPoints: { opencodex: join(root, 'src/cli/main.ts') },
  outdir: tmp,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  define: { ...define, OPENCODEX_EXEC_BUNDLE: JSON.stringify({ file: 'exec.cjs', hash: execHash }) },
  plugins: [
    {
      name: 'esm-cli',
      setup(b) {
        b.onResolve({ filter: /^\.\/run\.js$/ }, () => ({ path: './run.mjs', external: true }));
      },
    },
  ],
  legalComments: 'none',
  logLevel: 'warning',
});
writeFileSync(join(tmp, 'package.json'), '{ "type": "commonjs" }\n');
// Executable, so the bin can be spawned directly (as the Codex SDK does with codexPathOverride).
chmodSync(join(tmp, 'opencodex.js'), 0o755);
const old = join(root, `.dist-old-${process.pid}`);
if (existsSync(out)) renameSync(out, old);
renameSync(tmp, out);
rmSync(old, { recursive: true, force: true });
