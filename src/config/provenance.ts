/** Which layer each effective config value came from. */
import { isTable, type TomlTable, type TomlValue } from './toml.js';

export type Source =
  | { kind: 'default'; detail?: string }
  | { kind: 'file'; path: string }
  | { kind: 'profile'; name: string; path: string; legacy: boolean }
  | { kind: 'project'; path: string }
  | { kind: 'override'; raw: string }
  | { kind: 'flag'; flag: string };

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'default':
      return source.detail ? `default (${source.detail})` : 'default';
    case 'file':
      return `file ${source.path}`;
    case 'profile':
      return source.legacy
        ? `profile ${source.name} ([profiles.${source.name}] in ${source.path})`
        : `profile ${source.name} (${source.path})`;
    case 'project':
      return `project config ${source.path}`;
    case 'override':
      return `-c ${source.raw}`;
    case 'flag':
      return `flag ${source.flag}`;
  }
}

const SEP = '\u0000';
export const pathKey = (path: readonly string[]): string => path.join(SEP);
export const splitKey = (key: string): string[] => key.split(SEP);

/** Leaf paths (arrays and scalars are leaves; an empty table is its own leaf) mapped to their source. */
export class Provenance {
  private readonly map = new Map<string, Source>();

  get(path: readonly string[]): Source | undefined {
    return this.map.get(pathKey(path));
  }

  /** The source of a path, or of the value nearest to it (a leaf below it, else a table above it). */
  nearest(path: readonly string[]): Source | undefined {
    const exact = this.get(path);
    if (exact) return exact;
    const prefix = pathKey(path) + SEP;
    for (const [key, source] of this.map) if (key.startsWith(prefix)) return source;
    for (let n = path.length - 1; n > 0; n--) {
      const up = this.get(path.slice(0, n));
      if (up) return up;
    }
    return undefined;
  }

  entries(): Array<[string[], Source]> {
    return [...this.map].map(([k, s]) => [splitKey(k), s]);
  }

  /** Forget a path and everything below it. */
  clear(path: readonly string[]): void {
    const key = pathKey(path);
    for (const k of [...this.map.keys()]) if (k === key || k.startsWith(key + SEP)) this.map.delete(k);
  }

  record(path: string[], value: TomlValue, source: Source): void {
    if (isTable(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) this.record([...path, k], v, source);
    } else {
      this.map.set(pathKey(path), source);
    }
  }
}

function clone(value: TomlValue): TomlValue {
  if (Array.isArray(value)) return value.map(clone);
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)]));
  return value;
}

/** Merges `layer` into `target` recursively (tables merge, anything else replaces), recording sources. */
export function mergeLayer(target: TomlTable, layer: TomlTable, source: Source, prov: Provenance, prefix: string[] = []): void {
  for (const [key, value] of Object.entries(layer)) {
    const path = [...prefix, key];
    const existing = target[key];
    if (isTable(value) && isTable(existing)) {
      // An empty table was its own leaf; once it gains keys, they are the leaves.
      if (Object.keys(existing).length === 0 && Object.keys(value).length > 0) prov.clear(path);
      mergeLayer(existing, value, source, prov, path);
      continue;
    }
    prov.clear(path);
    target[key] = clone(value);
    prov.record(path, value, source);
  }
}

/** Sets one value at a dotted path, turning missing or non-table intermediates into tables. */
export function setPath(target: TomlTable, path: readonly string[], value: TomlValue): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (isTable(next)) node = next;
    else {
      const fresh: TomlTable = {};
      node[part] = fresh;
      node = fresh;
    }
  }
  const last = path[path.length - 1];
  if (last !== undefined) node[last] = value;
}

/** A layer that sets one path: how -c overrides and flags enter the merge. */
export function layerFor(path: readonly string[], value: TomlValue): TomlTable {
  const table: TomlTable = {};
  setPath(table, path, value);
  return table;
}
