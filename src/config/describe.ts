/**
 * The effective configuration as key/value/source rows, with secrets masked. Keys opencodex accepts but
 * does not act on (ignored.ts) and keys it does not know (left out of the config) are rows too, marked
 * with why they are ignored: nothing in a config file is dropped silently.
 */
import { ignoredReason, valueNote } from './ignored.js';
import type { LoadedConfig } from './load.js';
import { describeSource, type Source } from './provenance.js';
import { isTable, type TomlValue } from './toml.js';

export interface ConfigRow {
  key: string;
  value: TomlValue;
  source: string;
  masked: boolean;
  /** Why opencodex does not act on this key; absent when it does. */
  ignored?: string;
  /** What the value does here when that differs from Codex (`web_search = "indexed"`). */
  note?: string;
}

const SECRET_NAME = /(api[_-]?key|secret|token|password|passwd|authorization|cookie|credential|bearer|^auth$|-key$|_key$)/i;
const SECRET_VALUE = /^(sk-|Bearer\s|Basic\s|ghp_|gho_|xox[abp]-)/;
/** Keys whose values name an environment variable or a file, not a secret itself. */
const NAMES_NOT_SECRETS = new Set(['env_key', 'env_key_instructions', 'bearer_token_env_var']);

function isSecret(path: readonly string[], value: TomlValue): boolean {
  const leaf = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (typeof value === 'string' && SECRET_VALUE.test(value)) return true;
  if (NAMES_NOT_SECRETS.has(leaf) || parent === 'env_http_headers') return false;
  if (leaf === 'experimental_bearer_token') return true;
  // Header values, environment values and similar maps: judged by the entry's name.
  return SECRET_NAME.test(leaf);
}

export const MASK = '********';

export function maskValue(path: readonly string[], value: TomlValue): { value: TomlValue; masked: boolean } {
  if (typeof value === 'string' && isSecret(path, value)) return { value: MASK, masked: true };
  return { value, masked: false };
}

function quoteKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function walk(value: TomlValue, path: string[], out: Array<[string[], TomlValue]>): void {
  if (isTable(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], out);
  } else out.push([path, value]);
}

export function describeConfig(loaded: LoadedConfig): ConfigRow[] {
  const leaves: Array<[string[], TomlValue]> = [];
  for (const [k, v] of Object.entries(loaded.config as Record<string, TomlValue | undefined>)) {
    if (v !== undefined && k !== 'profiles') walk(v, [k], leaves);
  }
  const first = ['model', 'model_provider', 'profile'];
  const rank = (p: string[]) => {
    const i = first.indexOf(p[0] ?? '');
    return i < 0 ? first.length : i;
  };
  leaves.sort((a, b) => rank(a[0]) - rank(b[0]));
  const rows = leaves.map(([path, raw]): ConfigRow => {
    const source: Source = loaded.sources.nearest(path) ?? { kind: 'default' };
    const { value, masked } = maskValue(path, raw);
    const ignored = ignoredReason(path);
    const note = valueNote(path, raw);
    return { key: path.map(quoteKey).join('.'), value, source: describeSource(source), masked, ...(ignored ? { ignored } : {}), ...(note ? { note } : {}) };
  });
  for (const u of loaded.unknown) {
    const hint = u.suggestion ? `; did you mean ${u.suggestion}?` : '';
    const inside: Array<[string[], TomlValue]> = [];
    walk(u.value, u.path, inside);
    for (const [path, raw] of inside) {
      const { value, masked } = maskValue(path, raw);
      rows.push({ key: path.map(quoteKey).join('.'), value, source: u.source ? describeSource(u.source) : 'unknown', masked, ignored: `not a known key${hint}` });
    }
  }
  return rows;
}

/** A TOML-style rendering of one value. */
export function formatValue(value: TomlValue): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (isTable(value)) {
    const parts = Object.entries(value).map(([k, v]) => `${quoteKey(k)} = ${formatValue(v)}`);
    return parts.length ? `{ ${parts.join(', ')} }` : '{}';
  }
  return String(value);
}
