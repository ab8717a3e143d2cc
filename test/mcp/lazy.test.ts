/** The MCP SDK is loaded only when a session has MCP servers: nothing else in the bundle imports it statically. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist');

/** Every file the given bundle file loads before it runs (static imports, transitively). */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["'](\.[^"']+)["']/g)) {
    staticClosure(resolve(join(file, '..'), m[1] as string), seen);
  }
  return seen;
}

const sdkInside = (files: Set<string>) => [...files].filter((f) => /StdioClientTransport|StreamableHTTPClientTransport/.test(readFileSync(f, 'utf8')));

describe('lazy MCP SDK', () => {
  it('is not in the static graph of the entry, exec or the interactive UI', () => {
    const chunks = readdirSync(join(DIST, 'chunks'));
    const entries = [join(DIST, 'opencodex.js'), ...chunks.filter((c) => /^(exec|run|program)-/.test(c)).map((c) => join(DIST, 'chunks', c))];
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(sdkInside(staticClosure(e)), e).toEqual([]);
    // The scan does follow imports: exec's graph holds many chunks.
    expect(staticClosure(entries.find((e) => /exec-/.test(e)) as string).size).toBeGreaterThan(3);
    // …and it is in the bundle, behind a dynamic import.
    expect(chunks.some((c) => /StdioClientTransport/.test(readFileSync(join(DIST, 'chunks', c), 'utf8')))).toBe(true);
  });
});
