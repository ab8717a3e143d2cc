/**
 * `-c key=value` overrides, parsed as Codex does (codex-compat.md §1.3): split on the first `=`, trim both
 * sides; the value is a TOML literal if it parses as one, else a string with surrounding quotes stripped;
 * the key is a dotted path whose missing or non-table intermediates become tables.
 */
import { parse } from 'smol-toml';
import { UsageError } from '../shared/index.js';
import type { TomlValue } from './toml.js';

export interface Override {
  path: string[];
  value: TomlValue;
  /** As the user wrote it, for messages and provenance. */
  raw: string;
}

function parseValue(text: string): TomlValue {
  try {
    const doc = parse(`_x_ = ${text}`) as { _x_?: TomlValue };
    if (doc._x_ !== undefined && Object.keys(doc).length === 1) return doc._x_;
  } catch {
    // not a TOML literal: taken as a string below
  }
  return text.replace(/^["']+|["']+$/g, '');
}

function parseKey(key: string, raw: string): string[] {
  // Quoted segments (`projects."/src/app".trust_level`) are read with TOML's own key syntax.
  if (/["']/.test(key)) {
    try {
      const path: string[] = [];
      let node: unknown = parse(`${key} = 0`);
      while (typeof node === 'object' && node !== null) {
        const keys = Object.keys(node);
        if (keys.length !== 1 || keys[0] === undefined) break;
        path.push(keys[0]);
        node = (node as Record<string, unknown>)[keys[0]];
      }
      if (path.length > 0) return path;
    } catch {
      // fall through to the plain split, which reports empty segments
    }
  }
  const path = key.split('.').map((s) => s.trim());
  if (path.some((s) => s === '')) {
    throw new UsageError(`invalid -c override \`${raw}\`: the key has an empty part`, 'write keys like model or model_providers.local.base_url');
  }
  return path;
}

export function parseOverride(raw: string): Override {
  const eq = raw.indexOf('=');
  if (eq < 0) {
    throw new UsageError(`invalid -c override \`${raw}\` (missing '=')`, 'write -c key=value, for example -c model=gpt-5.4');
  }
  const key = raw.slice(0, eq).trim();
  if (key === '') {
    throw new UsageError(`invalid -c override \`${raw}\`: the key is empty`, 'write -c key=value, for example -c model=gpt-5.4');
  }
  return { path: parseKey(key, raw), value: parseValue(raw.slice(eq + 1).trim()), raw };
}

export function parseOverrides(raws: readonly string[]): Override[] {
  return raws.map(parseOverride);
}
