/**
 * What `exec` loads before its first request: the static import graph of the exec chunk in the built
 * bundle (dist/, built by the test setup), read from the module path comments esbuild leaves in its (unminified) output. Every
 * kilobyte here is compiled on every run, so libraries the first request does not need stay out: the
 * OpenAI SDK (requests go through Node's http, src/providers/http.ts), zod's 360 kB of locales other than English, the
 * terminal UI (ink, React) and the MCP SDK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist');

function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g)) {
    staticClosure(resolve(join(file, '..'), m[1] as string), seen);
  }
  return seen;
}

/** The node_modules packages whose modules a set of bundle files holds, and zod's locales by name. */
function packagesIn(files: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^\/\/ .*?node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:v4\/(core|locales\/[\w-]+))?/gm)) {
      out.add(m[1] as string);
      if (m[2]) out.add(`${m[1]}/${m[2]}`);
    }
  }
  return out;
}

describe('the exec start-up path', () => {
  it('loads none of the OpenAI SDK, zod locales other than English, ink/React or the MCP SDK', () => {
    const chunk = (name: string): string => join(DIST, 'chunks', readdirSync(join(DIST, 'chunks')).find((c) => c.startsWith(`${name}-`)) as string);
    const files = new Set([join(DIST, 'run.mjs'), chunk('program'), chunk('exec')].flatMap((f) => [...staticClosure(f)]));
    const packages = packagesIn(files);
    // The scan sees packages: zod's core and commander are on the path.
    expect(packages).toContain('zod/core');
    expect(packages).toContain('commander');
    for (const p of ['openai', 'ink', 'react', '@modelcontextprotocol/sdk']) expect(packages, p).not.toContain(p);
    // English only (zod's default messages), not its 60-odd other locales.
    expect([...packages].filter((p) => p.startsWith('zod/locales/'))).toEqual(['zod/locales/en']);
  });
});
