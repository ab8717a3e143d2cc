/** TOML values as plain data, and reading TOML files with errors that say where. */
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { ConfigError, errnoCode, fsHint, fsReason } from '../shared/index.js';
import { describeTomlError } from './toml-errors.js';

export type TomlValue = string | number | boolean | Date | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Parses TOML text; a syntax error names the file, line and column, and what was expected there. */
export function parseToml(text: string, label: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'syntax error';
      const what = describeTomlError(text, { reason, line: err.line, column: err.column });
      throw new ConfigError(`${label} is not valid TOML: line ${err.line}, column ${err.column}: ${what}`, 'fix the syntax at that position');
    }
    throw err;
  }
}

/** Reads a TOML file, or returns undefined when it does not exist. */
export function readTomlFile(path: string): TomlTable | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT') return undefined;
    const hint = fsHint(err, path) ?? 'check the file and its directory';
    // The file sits in the home: a home that is a file is fixed by choosing another.
    const homeHint = code === 'ENOTDIR' ? ', or point OPENCODEX_HOME at a directory' : '';
    throw new ConfigError(`cannot read ${path}: ${fsReason(err, path)}`, `${hint}${homeHint}`);
  }
  return parseToml(text, path);
}
