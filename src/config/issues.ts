/**
 * An invalid configuration as one line: which key, where it was set, what is wrong and what is allowed
 * (`sandbox_mode must be one of "read-only", … (got "rw")`, `model_providers.x has unknown key
 * `base_ur`; did you mean `base_url`?`).
 */
import * as z from 'zod';
import { ConfigError, describeIssue, escapeLine, innermostIssue, issuePath } from '../shared/index.js';
import { describeSource, type Provenance, type Source } from './provenance.js';
import { configSchema } from './schema.js';
import type { TomlTable } from './toml.js';

/** The schema as a table, when it is one (optional and union wrappers looked through). */
function asTable(t: z.ZodType): z.ZodObject | z.ZodRecord | undefined {
  let cur: z.ZodType = t;
  while (cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  if (cur instanceof z.ZodObject || cur instanceof z.ZodRecord) return cur;
  if (cur instanceof z.ZodUnion) {
    for (const option of cur.options as readonly z.ZodType[]) {
      const table = asTable(option);
      if (table) return table;
    }
  }
  return undefined;
}

/** The keys the table at `path` takes, or undefined when it takes any key (or is not a table). */
export function keysAt(path: readonly PropertyKey[]): string[] | undefined {
  let table = asTable(configSchema);
  for (const part of path) {
    if (!table) return undefined;
    const next: z.ZodType | undefined = table instanceof z.ZodObject ? (table.shape as Record<string, z.ZodType>)[String(part)] : (table.valueType as z.ZodType);
    table = next ? asTable(next) : undefined;
  }
  return table instanceof z.ZodObject ? Object.keys(table.shape) : undefined;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}

/** The allowed key closest to a misspelt one, when it is close enough to be what was meant. */
export function nearestKey(unknown: string, allowed: readonly string[]): string | undefined {
  const best = [...allowed].sort((a, b) => distance(unknown, a) - distance(unknown, b))[0];
  return best !== undefined && distance(unknown, best) <= Math.max(2, Math.floor(unknown.length / 4)) ? best : undefined;
}

/** `; did you mean `x`?` for a near miss, else the keys allowed there. */
function allowedKeysNote(unknown: string, allowed: readonly string[]): string {
  const best = nearestKey(unknown, allowed);
  return best !== undefined ? `; did you mean \`${best}\`?` : ` (allowed: ${allowed.join(', ')})`;
}

/** The ConfigError for a failed parse of the merged layers, naming the source of the offending value. */
export function invalidConfig(error: z.ZodError, merged: TomlTable, sources: Provenance, fileSource: Source): ConfigError {
  const first = error.issues[0];
  if (!first) return new ConfigError('the configuration is invalid');
  const issue = innermostIssue(first);
  const path = issue.path.map(String);
  // An unknown key was set where the key is, not where its table was first defined (maybe a default).
  const located = issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined ? [...path, issue.keys[0]] : path;
  const source = sources.nearest(located) ?? (path[0] === 'profiles' ? fileSource : undefined);
  const where = source ? ` in ${describeSource(source)}` : '';
  let text = describeIssue(issue, merged);
  if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) {
    const allowed = keysAt(issue.path);
    if (allowed) text += allowedKeysNote(issue.keys[0] as string, allowed);
  }
  // Keys and values come from files: never let their control characters reach the terminal.
  return new ConfigError(escapeLine(`invalid config${where}: ${issuePath(issue.path) || 'the root'} ${text}`));
}
