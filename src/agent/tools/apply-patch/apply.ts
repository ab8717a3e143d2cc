/**
 * From parsed hunks to changes on disk, in two steps: `planPatch` reads the files and computes every new
 * content (hunks apply in order, so a later hunk sees what an earlier one did) without writing anything;
 * `writePlan` then writes the plan, restoring the files it already touched if a write fails.
 */
import { mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FileChange } from '../../../sandbox/index.js';
import type { PatchChangeKind } from '../../events.js';
import type { ClientFiles } from '../../tool-types.js';
import { applyChunks, PatchApplyError } from './compute.js';
import { unifiedDiff } from './diff.js';
import { likeReplaced } from './line-endings.js';
import type { Hunk } from './parser.js';

export interface PlannedChange {
  kind: PatchChangeKind;
  /** Absolute path of the file the hunk names. */
  path: string;
  /** The path as the patch wrote it (for the summary the model reads). */
  displayPath: string;
  /** Absolute destination of a move. */
  movePath?: string;
  moveDisplayPath?: string;
  /** Content to write (add, update); absent for a delete. */
  contents?: string;
  /** Unified diff of the change, for front ends. */
  diff: string;
  /** The file's text before the change ('' for a file the patch adds). */
  before: string;
}

export interface PatchPlan {
  cwd: string;
  changes: PlannedChange[];
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
};

export function ioMessage(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && ERRNO_TEXT[code]) return ERRNO_TEXT[code] as string;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Reads through the changes planned so far (null: deleted by an earlier hunk), then `base` (the texts a
 * front end gave: null for a file it does not have), then the disk.
 */
class Overlay {
  private readonly files = new Map<string, string | null>();

  constructor(private readonly base: ReadonlyMap<string, string | null> = new Map()) {}

  read(path: string): string {
    const staged = this.files.has(path) ? this.files.get(path) : this.base.get(path);
    if (staged === null) throw Object.assign(new Error(this.files.has(path) ? 'deleted earlier in this patch' : 'No such file or directory'), { code: 'ENOENT' });
    if (staged !== undefined) return staged;
    return readFileSync(path, 'utf8');
  }

  write(path: string, contents: string | null): void {
    this.files.set(path, contents);
  }
}

function previous(overlay: Overlay, path: string): string {
  try {
    return overlay.read(path);
  } catch {
    return '';
  }
}

/**
 * Computes every change of a patch against the files as they are now (`texts`: files as a front end has
 * them, read instead of the disk); throws PatchApplyError when one does not fit.
 */
export function planPatch(hunks: readonly Hunk[], cwd: string, texts?: ReadonlyMap<string, string | null>): PatchPlan {
  const overlay = new Overlay(texts);
  const changes: PlannedChange[] = [];
  for (const hunk of hunks) {
    const path = resolve(cwd, hunk.path);
    if (hunk.kind === 'add') {
      const before = previous(overlay, path);
      const contents = likeReplaced(hunk.contents, before);
      overlay.write(path, contents);
      changes.push({
        kind: 'add',
        path,
        displayPath: hunk.path,
        contents,
        diff: unifiedDiff(before, contents, '/dev/null', `b/${hunk.path}`),
        before,
      });
    } else if (hunk.kind === 'delete') {
      let before: string;
      try {
        before = overlay.read(path);
      } catch (err) {
        throw new PatchApplyError(`Failed to read ${path}: ${ioMessage(err)}`);
      }
      overlay.write(path, null);
      changes.push({ kind: 'delete', path, displayPath: hunk.path, diff: unifiedDiff(before, '', `a/${hunk.path}`, '/dev/null'), before });
    } else {
      let before: string;
      try {
        before = overlay.read(path);
      } catch (err) {
        throw new PatchApplyError(`Failed to read file to update ${path}: ${ioMessage(err)}`);
      }
      const after = applyChunks(before, hunk.chunks, path);
      const change: PlannedChange = { kind: 'update', path, displayPath: hunk.path, contents: after, diff: '', before };
      let target = hunk.path;
      if (hunk.movePath !== null) {
        const dest = resolve(cwd, hunk.movePath);
        change.movePath = dest;
        change.moveDisplayPath = hunk.movePath;
        target = hunk.movePath;
        if (dest !== path) overlay.write(path, null);
        overlay.write(dest, after);
      } else {
        overlay.write(path, after);
      }
      change.diff = unifiedDiff(before, after, `a/${hunk.path}`, `b/${target}`);
      changes.push(change);
    }
  }
  return { cwd, changes };
}

/** What the approval layer is asked about. */
export function fileChanges(plan: PatchPlan): FileChange[] {
  return plan.changes.map((c): FileChange => {
    const preview = { diff: c.diff, oldText: c.kind === 'add' ? null : c.before, newText: c.contents ?? null };
    if (c.kind === 'add') return { kind: 'add', path: c.path, preview };
    if (c.kind === 'delete') return { kind: 'delete', path: c.path, preview };
    return { kind: 'update', path: c.path, movePath: c.movePath, preview };
  });
}

/** The success text the model reads: added, then modified (moves under their destination), then deleted. */
export function summary(plan: PatchPlan): string {
  const added = plan.changes.filter((c) => c.kind === 'add').map((c) => `A ${c.displayPath}`);
  const modified = plan.changes.filter((c) => c.kind === 'update').map((c) => `M ${c.moveDisplayPath ?? c.displayPath}`);
  const deleted = plan.changes.filter((c) => c.kind === 'delete').map((c) => `D ${c.displayPath}`);
  return `Success. Updated the following files:\n${[...added, ...modified, ...deleted].map((l) => `${l}\n`).join('')}`;
}

type Snapshot = { path: string; contents: Buffer | null };

function snapshot(path: string): Snapshot {
  try {
    return { path, contents: readFileSync(path) };
  } catch {
    return { path, contents: null };
  }
}

function restore(snapshots: readonly Snapshot[]): void {
  for (const s of [...snapshots].reverse()) {
    try {
      if (s.contents === null) rmSync(s.path, { force: true });
      else {
        mkdirSync(dirname(s.path), { recursive: true });
        writeFileSync(s.path, s.contents);
      }
    } catch {
      // Best effort: the error reported to the model already says the patch failed.
    }
  }
}

function writeFile(path: string, contents: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new Error(`Failed to create parent directories for ${path}: ${ioMessage(err)}`);
  }
  try {
    writeFileSync(path, contents);
  } catch (err) {
    throw new Error(`Failed to write file ${path}: ${ioMessage(err)}`);
  }
}

/**
 * Writes a plan. On failure, files already written or removed are put back and the error is returned
 * (directories created on the way stay).
 */
export function writePlan(plan: PatchPlan): { ok: true } | { ok: false; message: string } {
  const snapshots: Snapshot[] = [];
  const touch = (path: string): void => {
    if (!snapshots.some((s) => s.path === path)) snapshots.push(snapshot(path));
  };
  try {
    for (const c of plan.changes) {
      if (c.kind === 'delete') {
        touch(c.path);
        try {
          unlinkSync(c.path);
        } catch (err) {
          throw new Error(`Failed to delete file ${c.path}: ${ioMessage(err)}`);
        }
      } else if (c.movePath !== undefined && c.movePath !== c.path) {
        touch(c.movePath);
        touch(c.path);
        writeFile(c.movePath, c.contents ?? '');
        try {
          unlinkSync(c.path);
        } catch (err) {
          throw new Error(`Failed to remove original ${c.path}: ${ioMessage(err)}`);
        }
      } else {
        touch(c.path);
        writeFile(c.path, c.contents ?? '');
      }
    }
    return { ok: true };
  } catch (err) {
    restore(snapshots);
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The files a patch reads before it writes (each once): the ones it adds, updates or deletes. */
export function patchPaths(hunks: readonly Hunk[], cwd: string): string[] {
  return [...new Set(hunks.map((h) => resolve(cwd, h.path)))];
}

/**
 * Writes a plan through a front end's file access: added and updated files are written there; deleted
 * files and the sources of moves are removed from the disk (the front end's file access has no delete).
 * On failure, what was written is put back (`texts`: the files as they were read; null: there was none).
 */
export async function writePlanVia(plan: PatchPlan, files: ClientFiles, texts: ReadonlyMap<string, string | null>): Promise<{ ok: true } | { ok: false; message: string }> {
  const undo: Array<() => Promise<void>> = [];
  const put = async (path: string, text: string): Promise<void> => {
    const before = texts.has(path) ? (texts.get(path) ?? null) : snapshot(path).contents?.toString('utf8') ?? null;
    try {
      await files.write(path, text);
    } catch (err) {
      throw new Error(`Failed to write file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    undo.push(async () => (before === null ? rmSync(path, { force: true }) : files.write(path, before)));
  };
  const remove = (path: string): void => {
    const s = snapshot(path);
    try {
      unlinkSync(path);
    } catch (err) {
      throw new Error(`Failed to delete file ${path}: ${ioMessage(err)}`);
    }
    undo.push(async () => restore([s]));
  };
  try {
    for (const c of plan.changes) {
      if (c.kind === 'delete') remove(c.path);
      else if (c.movePath !== undefined && c.movePath !== c.path) {
        await put(c.movePath, c.contents ?? '');
        remove(c.path);
      } else await put(c.path, c.contents ?? '');
    }
    return { ok: true };
  } catch (err) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
