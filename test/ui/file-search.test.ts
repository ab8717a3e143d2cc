/**
 * `@` file search: the index (git ls-files in a work tree, a .gitignore-honouring walk elsewhere) and
 * the fuzzy matching (asynchronous, in slices, a newer query superseding an older one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFinder, listFiles, type FileMatches } from '../../src/ui/file-search/index.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ocx-files-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const FILES = {
  '.gitignore': 'build/\n*.log\n',
  'src/app.ts': '',
  'src/ui/keys.ts': '',
  'src/ui/.gitignore': 'generated.ts\n',
  'src/ui/generated.ts': '',
  'build/out.js': '',
  'debug.log': '',
  'README.md': '',
};
const KEPT = ['.gitignore', 'README.md', 'src/app.ts', 'src/ui/.gitignore', 'src/ui/keys.ts'];

const search = (finder: FileFinder, query: string, limit = 8): Promise<FileMatches> =>
  new Promise((resolve) => {
    finder.search(query, limit, (m) => {
      if (!m.indexing) resolve(m);
    });
  });

describe('the file index', () => {
  it('lists a work tree with git: tracked and untracked files, ignored ones left out', async () => {
    const root = tree(FILES);
    execFileSync('git', ['init', '-q', root]);
    execFileSync('git', ['-C', root, 'add', 'src/app.ts']);
    expect((await listFiles(root, new AbortController().signal)).sort()).toEqual(KEPT);
  });

  it('walks a directory outside Git honouring every .gitignore on the way', async () => {
    const root = tree(FILES);
    expect((await listFiles(root, new AbortController().signal)).sort()).toEqual(KEPT);
  });
});

describe('FileFinder', () => {
  it('matches fuzzily, best first, and answers after the call returns', async () => {
    const paths = ['src/ui/keys.ts', 'src/ui/components/KeyHint.tsx', 'docs/keyboard.md', 'test/ui/keys.test.ts', 'package.json'];
    const finder = new FileFinder('/nowhere', { list: async () => paths });
    let answered = false;
    const first = new Promise<FileMatches[]>((resolve) => {
      const seen: FileMatches[] = [];
      finder.search('keysts', 8, (m) => {
        answered = true;
        seen.push(m);
        if (!m.indexing) resolve(seen);
      });
    });
    expect(answered).toBe(false);
    const seen = await first;
    // The first search waits for the index, and says so.
    expect(seen[0]).toEqual({ query: 'keysts', matches: [], indexing: true });
    const found = seen.at(-1)?.matches.map((m) => m.path);
    expect(found?.[0]).toBe('src/ui/keys.ts');
    expect(found).toContain('test/ui/keys.test.ts');
    expect(found).not.toContain('package.json');
    const [best] = seen.at(-1)?.matches ?? [];
    expect(best?.indexes.map((i) => best.path[i]).join('')).toBe('keysts');
    finder.close();
  });

  it('delivers only the newest of overlapping searches', async () => {
    const finder = new FileFinder('/nowhere', { list: async () => ['alpha.ts', 'beta.ts'] });
    await finder.warm();
    const got: string[] = [];
    finder.search('alp', 8, (m) => got.push(m.query));
    const last = search(finder, 'bet');
    expect((await last).matches.map((m) => m.path)).toEqual(['beta.ts']);
    expect(got).toEqual([]);
    finder.close();
  });

  it('rebuilds a stale index in the background, serving the old one meanwhile', async () => {
    let now = 0;
    let walks = 0;
    const lists = [['one.ts'], ['one.ts', 'two.ts']];
    const finder = new FileFinder('/nowhere', { now: () => now, refreshMs: 1000, list: async () => lists[Math.min(walks++, 1)] as string[] });
    expect((await search(finder, 'ts')).matches).toHaveLength(1);
    expect((await search(finder, 'ts')).matches).toHaveLength(1);
    expect(walks).toBe(1);
    now = 5000;
    expect((await search(finder, 'ts')).matches).toHaveLength(1); // the old index answers
    await finder.warm();
    expect(walks).toBe(2);
    expect((await search(finder, 'ts')).matches.map((m) => m.path).sort()).toEqual(['one.ts', 'two.ts']);
    finder.close();
  });

  it('searches 100,000 paths without holding the event loop', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 100_000; i++) paths.push(`pkg${i % 97}/module${i % 1013}/file${i}.ts`);
    paths.push('pkg3/special/needle_handler.ts');
    const finder = new FileFinder('/nowhere', { list: async () => paths });
    await finder.warm();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const result = await search(finder, 'needlehandler');
    clearInterval(timer);
    expect(result.matches[0]?.path).toBe('pkg3/special/needle_handler.ts');
    expect(ticks).toBeGreaterThan(0);
    finder.close();
  });
});
