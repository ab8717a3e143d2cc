/** TOML values as plain data, and reading TOML files with errors that say where. */
import { readFileSync } from 'node:fs';
import { parse, TomlError } from 'smol-toml';
import { ConfigError } from '../shared/index.js';

export type TomlValue = string | number | boolean | Date | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Parses TOML text; a syntax error names the file, line and column. */
export function parseToml(text: string, label: string): TomlTable {
  try {
    return parse(text) as TomlTable;
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'syntax error';
      throw new ConfigError(
        `${label} is not valid TOML: line ${err.line}, column ${err.column}: ${reason}`,
        'fix the syntax at that position',
      );
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
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${path} (${code ?? String(err)})`, 'check the file permissions');
  }
  return parseToml(text, path);
}
