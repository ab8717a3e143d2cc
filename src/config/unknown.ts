/**
 * Config keys opencodex does not know, anywhere in the merged layers. As Codex 0.171 does, they are left
 * out with one warning naming each key and where it was set; `--strict-config` makes them an error.
 */
import { ConfigError, escapeLine, issuePath, valueAt } from '../shared/index.js';
import { keysAt, nearestKey } from './issues.js';
import { describeSource, type Provenance, type Source } from './provenance.js';
import { configSchema } from './schema.js';
import { isTable, type TomlTable, type TomlValue } from './toml.js';

export interface UnknownSetting {
  path: string[];
  value: TomlValue;
  source: Source | undefined;
  /** A known key of the same table that was probably meant. */
  suggestion: string | undefined;
}

/** Takes every unknown key out of `merged` (and out of `sources`), returning them. */
export function takeUnknownKeys(merged: TomlTable, sources: Provenance): UnknownSetting[] {
  const found: UnknownSetting[] = [];
  // A table's refinements run only once its keys are right, so a second pass may find keys the first hid.
  for (let pass = 0; pass < 8; pass++) {
    const parsed = configSchema.safeParse(merged, { jitless: true });
    if (parsed.success) break;
    let removed = 0;
    for (const issue of parsed.error.issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      const table = issue.path.length === 0 ? merged : valueAt(merged, issue.path);
      if (!isTable(table as TomlValue)) continue;
      for (const key of issue.keys) {
        const owner = table as TomlTable;
        const value = owner[key];
        if (value === undefined) continue;
        const path = [...issue.path.map(String), key];
        const allowed = keysAt(issue.path);
        found.push({ path, value, source: sources.nearest(path), suggestion: allowed ? nearestKey(key, allowed) : undefined });
        delete owner[key];
        sources.clear(path);
        removed++;
      }
    }
    if (removed === 0) break;
  }
  return found;
}

/** `a, b.c (did you mean d?) in file X; e in -c e=1`: the keys grouped by where they were set. */
function listByPlace(found: readonly UnknownSetting[]): string {
  const groups = new Map<string, string[]>();
  for (const u of found) {
    const where = u.source ? describeSource(u.source) : 'the configuration';
    const name = issuePath(u.path) + (u.suggestion ? ` (did you mean ${u.suggestion}?)` : '');
    groups.set(where, [...(groups.get(where) ?? []), name]);
  }
  return [...groups].map(([where, names]) => `${names.join(', ')} in ${where}`).join('; ');
}

const settings = (n: number): string => `${n} unrecognized configuration setting${n === 1 ? '' : 's'}`;

/** The one warning for unknown keys (Codex: "Codex is ignoring N unrecognized configuration setting(s)"). */
export function unknownKeysWarning(found: readonly UnknownSetting[]): string {
  return escapeLine(`opencodex is ignoring ${settings(found.length)}: ${listByPlace(found)} (--strict-config makes this an error)`);
}

/** The error `--strict-config` turns them into. */
export function unknownKeysError(found: readonly UnknownSetting[]): ConfigError {
  return new ConfigError(
    escapeLine(`${settings(found.length)} (--strict-config): ${listByPlace(found)}`),
    'fix or remove them, or run without --strict-config',
  );
}
