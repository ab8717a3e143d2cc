/**
 * `auth.json` in the opencodex home: the API key stored by `opencodex login --with-api-key`, in Codex's
 * file shape (`{"auth_mode":"apikey","OPENAI_API_KEY":"…"}`). Always written with mode 0600.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHome } from '../config/index.js';
import { ConfigError } from '../shared/index.js';

export const AUTH_FILE = 'auth.json';

export const authFilePath = (home: string): string => join(home, AUTH_FILE);

export interface StoredAuth {
  auth_mode: 'apikey';
  OPENAI_API_KEY: string;
}

/** The stored API key, or undefined when there is no auth.json or it holds no key. */
export function readStoredApiKey(home: string): string | undefined {
  const path = authFilePath(home);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`, 'check its permissions, or run `opencodex logout` and log in again');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${path} is not valid JSON`, 'run `opencodex logout` and `opencodex login --with-api-key` again');
  }
  const key = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).OPENAI_API_KEY : undefined;
  return typeof key === 'string' && key.trim() !== '' ? key.trim() : undefined;
}

/** Stores `key` (replacing any earlier login) and returns the file's path. */
export function storeApiKey(home: string, key: string): string {
  ensureHome(home);
  const path = authFilePath(home);
  const tmp = `${path}.${process.pid}.tmp`;
  const data: StoredAuth = { auth_mode: 'apikey', OPENAI_API_KEY: key };
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return path;
}

/** Removes auth.json; false when there was nothing to remove. */
export function removeStoredAuth(home: string): boolean {
  const path = authFilePath(home);
  try {
    rmSync(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ConfigError(`cannot remove ${path}: ${(err as Error).message}`);
  }
}

/** A key shown to its owner: enough to recognise it, never enough to use it. */
export function maskKey(key: string): string {
  if (key.length <= 8) return '***';
  const prefix = /^(sk-(?:proj-|svcacct-|admin-)?)/.exec(key)?.[1] ?? '';
  return `${prefix}***${key.slice(-4)}`;
}
