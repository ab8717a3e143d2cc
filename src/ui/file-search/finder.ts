/**
 * `@` file search: an index of the files under the session's directory, built in the background (see
 * walk.ts), and fuzzy matching of a query against it with fuzzysort. Neither blocks the UI: preparing
 * the index and matching both run in slices of a few thousand paths with the event loop free between
 * them, and a newer query stops an older one.
 */
import fuzzysort from 'fuzzysort';
import { listFiles } from './walk.js';

export interface FileMatch {
  path: string;
  /** Indexes of the matched characters in `path` (for highlighting). */
  indexes: readonly number[];
}

export interface FileMatches {
  query: string;
  matches: readonly FileMatch[];
  /** The index was still being built: more files may match later. */
  indexing: boolean;
}

export interface FinderOptions {
  /** An index older than this is rebuilt (in the background) at the next search; default 20 s. */
  refreshMs?: number;
  /** Paths per slice of work between two turns of the event loop; default 2000. */
  sliceSize?: number;
  now?: () => number;
  /** Lists the files (tests count the walks); default: `listFiles`. */
  list?: (root: string, signal: AbortSignal) => Promise<string[]>;
}

type Prepared = ReturnType<typeof fuzzysort.prepare>;

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

export class FileFinder {
  private targets: Prepared[] = [];
  private builtAt: number | null = null;
  private building: Promise<void> | null = null;
  private generation = 0;
  private readonly abort = new AbortController();
  private readonly refreshMs: number;
  private readonly sliceSize: number;
  private readonly now: () => number;
  private readonly list: (root: string, signal: AbortSignal) => Promise<string[]>;

  constructor(
    readonly root: string,
    o: FinderOptions = {},
  ) {
    this.refreshMs = o.refreshMs ?? 20_000;
    this.sliceSize = o.sliceSize ?? 2000;
    this.now = o.now ?? (() => Date.now());
    this.list = o.list ?? listFiles;
  }

  /** How many files the index holds (0 until it is first built). */
  get size(): number {
    return this.targets.length;
  }

  /** Builds the index now (in the background) unless it is fresh or being built. */
  warm(): Promise<void> {
    const fresh = this.builtAt !== null && this.now() - this.builtAt < this.refreshMs;
    if (this.building || fresh) return this.building ?? Promise.resolve();
    this.building = this.build().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(): Promise<void> {
    let paths: string[];
    try {
      paths = await this.list(this.root, this.abort.signal);
    } catch {
      paths = [];
    }
    const prepared: Prepared[] = [];
    for (let i = 0; i < paths.length && !this.abort.signal.aborted; i += this.sliceSize) {
      for (const p of paths.slice(i, i + this.sliceSize)) prepared.push(fuzzysort.prepare(p));
      await yieldToLoop();
    }
    this.targets = prepared;
    this.builtAt = this.now();
  }

  /**
   * The best `limit` files for `query`, given to `onResult` later (never in this call). A search started
   * after this one supersedes it: its result is never delivered.
   */
  search(query: string, limit: number, onResult: (m: FileMatches) => void): void {
    const generation = ++this.generation;
    const current = (): boolean => generation === this.generation && !this.abort.signal.aborted;
    void (async () => {
      const firstBuild = this.builtAt === null;
      const building = this.warm();
      await yieldToLoop();
      if (!current()) return;
      // The first time there is nothing to search until the index exists; later the old one serves.
      if (firstBuild) {
        onResult({ query, matches: [], indexing: true });
        await building;
        if (!current()) return;
      }
      const matches = await this.match(query, limit, current);
      if (matches !== null && current()) onResult({ query, matches, indexing: false });
    })();
  }

  private async match(query: string, limit: number, current: () => boolean): Promise<FileMatch[] | null> {
    const targets = this.targets;
    if (query === '') return targets.slice(0, limit).map((t) => ({ path: t.target, indexes: [] }));
    let best: Array<{ path: string; score: number; indexes: readonly number[] }> = [];
    for (let i = 0; i < targets.length; i += this.sliceSize) {
      if (i > 0) {
        await yieldToLoop();
        if (!current()) return null;
      }
      const found = fuzzysort.go(query, targets.slice(i, i + this.sliceSize), { limit, threshold: 0 });
      for (const r of found) best.push({ path: r.target, score: r.score, indexes: [...r.indexes] });
      if (best.length > limit * 4) best = top(best, limit);
    }
    return top(best, limit).map(({ path, indexes }) => ({ path, indexes }));
  }

  /** Stops any walk or search in progress. */
  close(): void {
    this.abort.abort();
  }
}

/** The best `n` by score (then the shorter path, then by name). */
function top<T extends { path: string; score: number }>(items: T[], n: number): T[] {
  return items.sort((a, b) => b.score - a.score || a.path.length - b.path.length || (a.path < b.path ? -1 : 1)).slice(0, n);
}
