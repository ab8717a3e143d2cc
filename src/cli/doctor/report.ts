/** The doctor's findings: one line each (✓ / ⚠ / ✗) with details and a fix, grouped in sections. */

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  section: string;
  status: CheckStatus;
  title: string;
  /** More lines under the title (what was seen). */
  details: string[];
  /** How to fix it (warn and fail). */
  fix: string | null;
}

export const SECTIONS = ['install', 'config', 'auth', 'provider', 'sandbox', 'disk', 'git'] as const;
export type Section = (typeof SECTIONS)[number];

export class Report {
  readonly checks: Check[] = [];

  add(section: Section, status: CheckStatus, title: string, o: { details?: string[]; fix?: string | null } = {}): void {
    this.checks.push({ section, status, title, details: o.details ?? [], fix: o.fix ?? null });
  }

  ok(section: Section, title: string, details: string[] = []): void {
    this.add(section, 'ok', title, { details });
  }

  warn(section: Section, title: string, fix: string | null, details: string[] = []): void {
    this.add(section, 'warn', title, { details, fix });
  }

  fail(section: Section, title: string, fix: string | null, details: string[] = []): void {
    this.add(section, 'fail', title, { details, fix });
  }

  get failed(): boolean {
    return this.checks.some((c) => c.status === 'fail');
  }
}

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '⚠', fail: '✗' };

/** The report for people: a heading per section, one marked line per check, details and fixes indented. */
export function formatReport(report: Report, paint: (status: CheckStatus, text: string) => string = (_s, t) => t): string {
  const lines: string[] = [];
  for (const section of SECTIONS) {
    const checks = report.checks.filter((c) => c.section === section);
    if (checks.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(section);
    for (const c of checks) {
      lines.push(`  ${paint(c.status, MARK[c.status])} ${c.title}`);
      for (const d of c.details) lines.push(`      ${d}`);
      if (c.fix) lines.push(`      fix: ${c.fix}`);
    }
  }
  const counts = (s: CheckStatus): number => report.checks.filter((c) => c.status === s).length;
  const fails = counts('fail');
  const warns = counts('warn');
  lines.push('', fails > 0 ? `${fails} problem${fails === 1 ? '' : 's'} to fix${warns ? `, ${warns} warning${warns === 1 ? '' : 's'}` : ''}.` : warns > 0 ? `No problems; ${warns} warning${warns === 1 ? '' : 's'}.` : 'Everything works.');
  return `${lines.join('\n')}\n`;
}

export function reportJson(report: Report): string {
  return `${JSON.stringify({ ok: !report.failed, checks: report.checks }, null, 2)}\n`;
}
