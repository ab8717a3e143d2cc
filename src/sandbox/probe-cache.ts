/**
 * Remembers, across runs, what probing a helper binary found (bubblewrap can build a sandbox here;
 * `script` is util-linux's), so a run does not spawn the probe again. An entry holds only for the same
 * binary (path, device, inode, size, modification and change times), the same kernel (`os.release()`),
 * the same user, and the same user-namespace settings (the sysctls an administrator flips to allow or
 * forbid unprivileged namespaces); anything else probes again. Only successes are stored: a failure is
 * probed afresh every time, so fixing the machine takes effect at once. Callers must treat a remembered
 * success as unverified (see bwrap.ts: a sandbox that then fails is re-probed and reported as unavailable).
 *
 * The file lives in the opencodex home (`cache/probes.json`), set by the front end with `setProbeCacheFile`;
 * without one nothing is remembered. An unreadable, corrupt or unwritable file only means probing again.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { dirname } from 'node:path';

let cacheFile: string | null = null;

/** Where probe results are remembered (`<home>/cache/probes.json`); null: nowhere (the default). */
export function setProbeCacheFile(path: string | null): void {
  cacheFile = path;
}

/** The user-namespace knobs whose change can turn a working sandbox into a broken one (and back). */
const USERNS_SYSCTLS = [
  '/proc/sys/kernel/unprivileged_userns_clone',
  '/proc/sys/user/max_user_namespaces',
  '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
];

function sysctl(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '-';
  }
}

/** What an entry for `binary` is valid for; null when the binary cannot be examined. */
export function probeKey(binary: string): string | null {
  try {
    const s = statSync(binary, { bigint: true });
    return JSON.stringify([
      binary,
      String(s.dev),
      String(s.ino),
      String(s.size),
      String(s.mtimeNs),
      String(s.ctimeNs),
      release(),
      process.getuid?.() ?? -1,
      ...USERNS_SYSCTLS.map(sysctl),
    ]);
  } catch {
    return null;
  }
}

type Entries = Record<string, { key: string; value: unknown }>;

function readEntries(): Entries {
  if (cacheFile === null) return {};
  try {
    const json = JSON.parse(readFileSync(cacheFile, 'utf8')) as { version?: unknown; entries?: unknown };
    if (json.version !== 1 || typeof json.entries !== 'object' || json.entries === null) return {};
    return json.entries as Entries;
  } catch {
    return {};
  }
}

function writeEntries(entries: Entries): void {
  if (cacheFile === null) return;
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify({ version: 1, entries })}\n`);
    renameSync(tmp, cacheFile);
  } catch {
    // Not remembered: the next run probes again.
  }
}

/** The remembered success of probe `name` for `key`, if there is one. */
export function recalled<T>(name: string, key: string, valid: (value: unknown) => value is T): T | undefined {
  const entry = readEntries()[name];
  return entry && entry.key === key && valid(entry.value) ? entry.value : undefined;
}

/** Remembers a success of probe `name` for `key`. */
export function remember(name: string, key: string, value: unknown): void {
  const entries = readEntries();
  entries[name] = { key, value };
  writeEntries(entries);
}

/** Forgets probe `name` (its remembered success turned out wrong). */
export function forget(name: string): void {
  const entries = readEntries();
  if (!(name in entries)) return;
  delete entries[name];
  writeEntries(entries);
}
