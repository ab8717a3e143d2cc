/**
 * The machine's IANA time zone for the environment context, as `Intl` resolves it. The first
 * `Intl.DateTimeFormat` of a process loads ICU's date-formatting data (~10 ms before the first request), so
 * the answer is remembered in a small file (`<home>/cache/timezone.json`) for as long as everything it is
 * resolved from stays the same: `TZ`, `/etc/localtime` (where it points, or the file itself), `/etc/timezone`,
 * and Node's ICU and time-zone data versions. A missing, corrupt or unwritable file only means asking `Intl`.
 */
import { lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** `Intl`'s answer, as the environment context always had it. */
export function resolvedTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function fileFacts(path: string): unknown {
  try {
    const s = lstatSync(path, { bigint: true });
    const link = s.isSymbolicLink() ? readlinkSync(path) : null;
    const text = !s.isSymbolicLink() && s.size < 4096n ? readFileSync(path, 'utf8') : null;
    return [link, text, String(s.ino), String(s.size), String(s.mtimeNs)];
  } catch {
    return null;
  }
}

/** Everything the time zone is resolved from (a change in any of it means asking `Intl` again). */
export function timezoneKey(env: NodeJS.ProcessEnv = process.env): string {
  const v = process.versions;
  return JSON.stringify([process.version, v.icu ?? null, v.tz ?? null, env.TZ ?? null, env.TZDIR ?? null, fileFacts('/etc/localtime'), fileFacts('/etc/timezone')]);
}

/** The time zone, from `cacheFile` when it holds the answer for the present key, else from `Intl` (then remembered). */
export function cachedTimezone(cacheFile: string | undefined): string {
  if (cacheFile === undefined) return resolvedTimezone();
  const key = timezoneKey();
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as { key?: unknown; timezone?: unknown };
    if (cached.key === key && typeof cached.timezone === 'string' && cached.timezone !== '') return cached.timezone;
  } catch {
    // none yet, or unreadable: ask Intl
  }
  const timezone = resolvedTimezone();
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify({ key, timezone })}\n`);
    renameSync(tmp, cacheFile);
  } catch {
    // not remembered: the next run asks Intl again
  }
  return timezone;
}
