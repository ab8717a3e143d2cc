/** The project root: the nearest directory at or above the cwd holding one of `project_root_markers`. */
import { dirname, resolve } from 'node:path';
import { hasEntry } from './mount-point-mark.js';

/**
 * The nearest directory at or above `cwd` that contains one of the markers, or null (also for no markers).
 * A sandbox mount point (an empty placeholder `.git` made while a command runs) is not a marker.
 */
export function findProjectRoot(cwd: string, markers: readonly string[]): string | null {
  if (markers.length === 0) return null;
  let dir = resolve(cwd);
  for (;;) {
    if (markers.some((m) => hasEntry(dir, m))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
