/**
 * AGENTS.md discovery (codex-compat.md §8.1): the global file in the home, then one file per directory
 * from the project root down to the cwd, concatenated and capped at project_doc_max_bytes.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { findProjectRoot } from '../../shared/index.js';

export interface AgentsMdOptions {
  home: string;
  cwd: string;
  /** Markers of a project root (default `.git`); empty means the cwd alone. */
  projectRootMarkers: readonly string[];
  /** Names tried after AGENTS.override.md and AGENTS.md in each directory. */
  fallbackFilenames: readonly string[];
  /** Cap on the project docs, in bytes; 0 disables project docs. */
  maxBytes: number;
}

export interface AgentsMdResult {
  /** The user instructions text, or null when there is none. */
  text: string | null;
  /** The files used, in order (global first). */
  files: string[];
}

function readTrimmed(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return null;
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? null : text;
  } catch {
    return null;
  }
}

/** Directories from the project root (or the cwd alone) down to the cwd, inclusive. */
function chain(cwd: string, root: string | null): string[] {
  const dirs: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    dirs.unshift(dir);
    if (root === null || dir === root) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return dirs;
}

/** Cuts a string to at most `bytes` UTF-8 bytes without splitting a character. */
function cutUtf8(text: string, bytes: number): string {
  const buf = Buffer.from(text, 'utf8');
  if (buf.length <= bytes) return text;
  let end = bytes;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

export function discoverAgentsMd(options: AgentsMdOptions): AgentsMdResult {
  const files: string[] = [];
  let global: string | null = null;
  for (const name of ['AGENTS.override.md', 'AGENTS.md']) {
    const path = join(options.home, name);
    global = readTrimmed(path);
    if (global !== null) {
      files.push(path);
      break;
    }
  }

  const docs: string[] = [];
  if (options.maxBytes > 0) {
    const names = ['AGENTS.override.md', 'AGENTS.md', ...options.fallbackFilenames];
    let budget = options.maxBytes;
    const root = findProjectRoot(options.cwd, options.projectRootMarkers);
    for (const dir of chain(options.cwd, root)) {
      if (budget <= 0) break;
      for (const name of names) {
        const path = join(dir, name);
        const text = readTrimmed(path);
        if (text === null) continue;
        budget -= docs.length > 0 ? 2 : 0; // the blank line that joins it to the previous doc
        const piece = budget > 0 ? cutUtf8(text, budget) : '';
        budget = piece === text ? budget - Buffer.byteLength(piece, 'utf8') : 0; // a cut file is the last one
        if (piece !== '') {
          docs.push(piece);
          files.push(path);
        }
        break;
      }
    }
  }

  const project = docs.length ? docs.join('\n\n') : null;
  const text = global && project ? `${global}\n\n--- project-doc ---\n\n${project}` : (global ?? project);
  return { text, files };
}
