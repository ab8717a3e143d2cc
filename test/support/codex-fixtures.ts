/**
 * The Codex 0.171 fixtures (test/fixtures/codex-0.171, see its SOURCE.md): a home written by the real Codex,
 * the names of its threads, and the requests Codex sent, with long texts stored as digests.
 */
import { createHash } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeHome } from './cli.js';

export const CODEX_FIXTURES = resolve(import.meta.dirname, '../fixtures/codex-0.171');

export interface CodexThreads {
  codexVersion: string;
  /** The workspace every thread ran in (its `cwd`). */
  workspace: string;
  /** The prompt of the `resume:<id>` requests. */
  replayPrompt: string;
  threads: { codeMode: string; classic: string; compaction: string; fork: string; rollback: string; sdk: string };
}

export interface CodexRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export const codexThreads = JSON.parse(readFileSync(join(CODEX_FIXTURES, 'threads.json'), 'utf8')) as CodexThreads;
export const codexRequests = JSON.parse(readFileSync(join(CODEX_FIXTURES, 'requests.json'), 'utf8')) as CodexRequest[];

/** The request Codex made when it resumed thread `id` with the replay prompt. */
export function codexResumeRequest(id: string): CodexRequest {
  const r = codexRequests.find((q) => q.label === `resume:${id}`);
  if (!r) throw new Error(`no Codex resume request for ${id} in requests.json`);
  return r;
}

/** Longer strings are stored as digests in requests.json (scripts/codex-fixtures.mjs). */
const LONG = 600;

/** A value with every long string digested as requests.json stores it. */
export function digestLong(value: unknown): unknown {
  if (typeof value === 'string') return value.length > LONG ? `[${value.length} chars, sha256 ${createHash('sha256').update(value).digest('hex').slice(0, 16)}]` : value;
  if (Array.isArray(value)) return value.map(digestLong);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestLong(v)]));
  return value;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/**
 * A copy of the Codex home as an opencodex home. With `workspace`, the fixtures' workspace path is replaced
 * by that directory in every file (as if the threads had run there), for what depends on the current directory.
 */
export function codexHome(o: { workspace?: string } = {}): string {
  const home = makeHome();
  cpSync(join(CODEX_FIXTURES, 'home'), home, { recursive: true });
  if (o.workspace !== undefined) {
    const ws = o.workspace;
    for (const f of files(home)) writeFileSync(f, readFileSync(f, 'utf8').split(codexThreads.workspace).join(ws));
  }
  return home;
}

/** Every rollout line of a thread's fixture files, parsed. */
export function fixtureLines(id: string): Array<Record<string, unknown>> {
  return files(join(CODEX_FIXTURES, 'home/sessions'))
    .filter((f) => f.includes(id))
    .sort()
    .flatMap((f) => readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>));
}
