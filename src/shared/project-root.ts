/** The project root: the nearest directory at or above the cwd holding one of `project_root_markers`. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The nearest directory at or above `cwd` that contains one of the markers, or null (also for no markers). */
export function findProjectRoot(cwd: string, markers: readonly string[]): string | null {
  if (markers.length === 0) return null;
  let dir = resolve(cwd);
  for (;;) {
    if (markers.some((m) => existsSync(join(dir, m)))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}
