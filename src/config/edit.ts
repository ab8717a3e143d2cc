/**
 * Editing config files in place: set keys (strings, numbers, booleans, string arrays, inline tables of
 * strings) in the root table or in one named table, and remove a table with its subtables, keeping
 * everything else — comments, blank lines, key order, formatting — exactly as the user wrote it.
 * Used by `/model` (the chosen model and effort) and `opencodex mcp add|remove`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError } from '../shared/index.js';
import type { LoadedConfig } from './load.js';
import { isTable, parseToml, type TomlValue } from './toml.js';

interface Entry {
  table: string[];
  key: string[];
  /** Offset of the start of the entry's line. */
  lineStart: number;
  /** Offsets of the value text. */
  valueStart: number;
  valueEnd: number;
  /** Offset just past the end of the entry's last line (after its newline, if any). */
  lineEnd: number;
}

interface Header {
  table: string[];
  /** Offset of the start of the header's line. */
  lineStart: number;
  lineEnd: number;
}

interface Scan {
  entries: Entry[];
  headers: Header[];
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

function lineEndFrom(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl === -1 ? text.length : nl + 1;
}

/** The end of a quoted string starting at `pos` (which holds the opening quote). */
function stringEnd(text: string, pos: number): number {
  const q = text[pos] as string;
  const triple = text.startsWith(q.repeat(3), pos);
  let i = pos + (triple ? 3 : 1);
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && q === '"') {
      i += 2;
      continue;
    }
    if (triple) {
      if (text.startsWith(q.repeat(3), i)) {
        // Up to two more quotes may belong to the content ("""a"""" is valid).
        let end = i + 3;
        while (text[end] === q && end < i + 5) end++;
        return end;
      }
    } else if (c === q || c === '\n') {
      return c === q ? i + 1 : i;
    }
    i++;
  }
  return text.length;
}

/** The end of a value starting at `pos`: a string, an array or inline table (any depth), or a bare value. */
function valueEnd(text: string, pos: number): number {
  const c = text[pos];
  if (c === '"' || c === "'") return stringEnd(text, pos);
  if (c === '[' || c === '{') {
    let depth = 0;
    let i = pos;
    while (i < text.length) {
      const ch = text[i] as string;
      if (ch === '"' || ch === "'") {
        i = stringEnd(text, i);
        continue;
      }
      if (ch === '#') {
        i = lineEndFrom(text, i);
        continue;
      }
      if (ch === '[' || ch === '{') depth++;
      else if (ch === ']' || ch === '}') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return text.length;
  }
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '#' && text[i] !== '\r') i++;
  while (i > pos && isSpace(text[i - 1])) i--;
  return i;
}

/** Splits a (possibly dotted, possibly quoted) key into its parts. */
function keyParts(raw: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < raw.length) {
    while (isSpace(raw[i])) i++;
    const c = raw[i];
    if (c === '"' || c === "'") {
      const end = stringEnd(raw, i);
      const quoted = raw.slice(i, end);
      parts.push(c === '"' ? (JSON.parse(quoted) as string) : quoted.slice(1, -1));
      i = end;
    } else {
      let end = i;
      while (end < raw.length && raw[end] !== '.') end++;
      parts.push(raw.slice(i, end).trim());
      i = end;
    }
    while (isSpace(raw[i])) i++;
    if (raw[i] === '.') i++;
  }
  return parts;
}

/** Where the top-level entries and table headers of a TOML document are. */
function scan(text: string): Scan {
  const entries: Entry[] = [];
  const headers: Header[] = [];
  let table: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    while (pos < text.length && (isSpace(text[pos]) || text[pos] === '\n' || text[pos] === '\r')) pos++;
    if (pos >= text.length) break;
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    const c = text[pos];
    if (c === '#') {
      pos = lineEndFrom(text, pos);
      continue;
    }
    if (c === '[') {
      const array = text[pos + 1] === '[';
      const start = pos + (array ? 2 : 1);
      let end = start;
      while (end < text.length && text[end] !== ']' && text[end] !== '\n') {
        end = text[end] === '"' || text[end] === "'" ? stringEnd(text, end) : end + 1;
      }
      table = keyParts(text.slice(start, end));
      pos = lineEndFrom(text, end);
      headers.push({ table: array ? [...table, '[]'] : table, lineStart, lineEnd: pos });
      if (array) table = [...table, '[]'];
      continue;
    }
    // key = value
    let eq = pos;
    while (eq < text.length && text[eq] !== '=' && text[eq] !== '\n') {
      eq = text[eq] === '"' || text[eq] === "'" ? stringEnd(text, eq) : eq + 1;
    }
    if (text[eq] !== '=') {
      pos = lineEndFrom(text, eq);
      continue;
    }
    const key = keyParts(text.slice(pos, eq));
    let v = eq + 1;
    while (isSpace(text[v])) v++;
    const end = valueEnd(text, v);
    const lineEnd = lineEndFrom(text, end);
    entries.push({ table, key, lineStart, valueStart: v, valueEnd: end, lineEnd });
    pos = lineEnd;
  }
  return { entries, headers };
}

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

const BARE_KEY = /^[A-Za-z0-9_-]+$/;
const encodeKey = (k: string): string => (BARE_KEY.test(k) ? k : JSON.stringify(k));

/** A value the editor can write. */
export type TomlEditValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>>;

/** TOML text of a value (basic strings share JSON's escapes; tables are written inline). */
function encodeValue(value: TomlEditValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new ConfigError(`cannot write the number ${value} to a config file`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
  const pairs = Object.entries(value as Readonly<Record<string, string>>).map(([k, v]) => `${encodeKey(k)} = ${JSON.stringify(v)}`);
  return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
}

/**
 * Sets keys in `table` (`[]` for the root table) of a TOML document, keeping the rest of the text as it
 * is. An existing key's value is replaced in place (its trailing comment stays); a new key goes after
 * the table's last entry; a missing table is added at the end.
 */
export function setTomlKeys(text: string, table: readonly string[], values: Readonly<Record<string, TomlEditValue>>): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    const { entries, headers } = scan(out);
    const encoded = encodeValue(value);
    const existing = entries.find((e) => same(e.table, table) && same(e.key, [key]));
    if (existing) {
      out = out.slice(0, existing.valueStart) + encoded + out.slice(existing.valueEnd);
      continue;
    }
    const line = `${encodeKey(key)} = ${encoded}`;
    const inTable = entries.filter((e) => same(e.table, table));
    const last = inTable[inTable.length - 1];
    if (last) {
      const at = last.lineEnd;
      const needsBreak = at > 0 && out[at - 1] !== '\n';
      out = out.slice(0, at) + (needsBreak ? eol : '') + line + eol + out.slice(at);
    } else if (table.length === 0) {
      out = line + eol + out;
    } else {
      const header = headers.find((h) => same(h.table, table));
      if (header) {
        const at = header.lineEnd;
        const needsBreak = at > 0 && out[at - 1] !== '\n';
        out = out.slice(0, at) + (needsBreak ? eol : '') + line + eol + out.slice(at);
      } else {
        const sep = out === '' ? '' : out.endsWith('\n') ? eol : eol + eol;
        out = `${out}${sep}[${table.map(encodeKey).join('.')}]${eol}${line}${eol}`;
      }
    }
  }
  return out;
}

const startsWith = (a: readonly string[], prefix: readonly string[]): boolean => prefix.every((x, i) => a[i] === x);

/** A line holds only a comment. */
const commentLine = (line: string): boolean => /^[ \t]*#/.test(line);

/**
 * Removes a table from a TOML document: its header and entries, its subtables (`[t.sub]`, `[[t.list]]`),
 * and keys elsewhere that define it (`t.key = …` dotted keys, `t = { … }` inline). Comment lines right
 * above a removed header go with it; those right above the next table stay with that table. Returns the text unchanged when the table is not there.
 */
export function removeTomlTable(text: string, table: readonly string[]): string {
  if (table.length === 0) throw new Error('removeTomlTable needs a table path');
  const { entries, headers } = scan(text);
  const cuts: Array<[number, number]> = [];
  headers.forEach((h, i) => {
    if (!startsWith(h.table, table)) return;
    let end = headers[i + 1]?.lineStart ?? text.length;
    // Keep the comment block (and what follows it) that sits right above the next header.
    if (end < text.length) {
      const lines = text.slice(h.lineEnd, end).split('\n');
      let keep = lines.length - 1;
      while (keep > 0 && commentLine(lines[keep - 1] as string)) keep--;
      if (keep < lines.length - 1) end = h.lineEnd + lines.slice(0, keep).join('\n').length + (keep > 0 ? 1 : 0);
    }
    // The comment lines right above the header describe the table: they go with it.
    let start = h.lineStart;
    while (start > 0) {
      const prev = text.lastIndexOf('\n', start - 2) + 1;
      if (!commentLine(text.slice(prev, start - 1))) break;
      start = prev;
    }
    cuts.push([start, end]);
  });
  for (const e of entries) {
    if (startsWith([...e.table, ...e.key], table) && !headers.some((h) => startsWith(h.table, table) && startsWith(e.table, h.table))) {
      cuts.push([e.lineStart, e.lineEnd]);
    }
  }
  if (cuts.length === 0) return text;
  cuts.sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [from, to] of cuts) {
    const before = out.slice(0, from);
    let after = out.slice(to);
    // Where the table was, a blank line before it and one after it make one.
    if (before === '' || /\n\r?\n$/.test(before)) after = after.replace(/^(?:[ \t]*\r?\n)+/, '');
    out = before + after;
  }
  return out;
}

function valueAt(root: TomlValue, path: readonly string[]): TomlValue | undefined {
  let v: TomlValue | undefined = root;
  for (const p of path) v = v !== undefined && isTable(v) ? v[p] : undefined;
  return v;
}

/** Where `/model` saves: the active profile's file, the legacy `[profiles.NAME]` table, or config.toml. */
export function modelSaveTarget(loaded: LoadedConfig): { path: string; table: string[]; profile: string | null } {
  const p = loaded.profile;
  if (p && !p.legacy) return { path: p.path, table: [], profile: p.name };
  if (p && p.legacy) return { path: loaded.configFile, table: ['profiles', p.name], profile: p.name };
  return { path: loaded.configFile, table: [], profile: null };
}

function readConfigText(path: string): string {
  if (!existsSync(path)) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

const sameValue = (a: TomlValue | undefined, b: TomlEditValue): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Sets keys in a config file (created when missing), checks that the result still parses and says what
 * was asked, and replaces the file in one rename.
 */
export function saveConfigKeys(path: string, table: readonly string[], values: Readonly<Record<string, TomlEditValue>>): void {
  const after = setTomlKeys(readConfigText(path), table, values);
  const parsed = parseToml(after, path);
  for (const [k, v] of Object.entries(values)) {
    if (!sameValue(valueAt(parsed, [...table, k]), v)) throw new ConfigError(`cannot set ${[...table, k].join('.')} in ${path}: the file has a layout this editor does not handle`, 'edit the file by hand');
  }
  writeConfigText(path, after);
}

/**
 * Replaces a table of a config file with the given keys (the table is removed first, so keys it had
 * before do not linger), or only removes it when `values` is null. Returns whether the table existed.
 */
export function replaceConfigTable(path: string, table: readonly string[], values: Readonly<Record<string, TomlEditValue>> | null): boolean {
  const before = readConfigText(path);
  const existed = valueAt(before === '' ? {} : parseToml(before, path), table) !== undefined;
  let after = removeTomlTable(before, table);
  if (values) after = setTomlKeys(after, table, values);
  const parsed = parseToml(after, path);
  const now = valueAt(parsed, table);
  const ok = values === null ? now === undefined : Object.entries(values).every(([k, v]) => sameValue(valueAt(parsed, [...table, k]), v));
  if (!ok) throw new ConfigError(`cannot edit [${table.join('.')}] in ${path}: the file has a layout this editor does not handle`, 'edit the file by hand');
  writeConfigText(path, after);
  return existed;
}

function writeConfigText(path: string, after: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp-${process.pid}`;
    writeFileSync(tmp, after, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (err) {
    throw new ConfigError(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'check the file permissions');
  }
}
