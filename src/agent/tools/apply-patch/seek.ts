/**
 * Finding a chunk's lines in a file, with Codex's fuzz levels (codex-compat.md §4.4): exact, then with
 * trailing whitespace ignored, then with surrounding whitespace ignored, then with typographic
 * punctuation and exotic spaces folded to ASCII. The first level that matches anywhere wins.
 */

const PUNCTUATION: ReadonlyMap<string, string> = new Map([
  // Hyphens and dashes, and the minus sign.
  ...['\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212'].map((c) => [c, '-'] as const),
  // Single quotes and primes used as apostrophes.
  ...['\u2018', '\u2019', '\u201A', '\u201B'].map((c) => [c, "'"] as const),
  // Double quotes.
  ...['\u201C', '\u201D', '\u201E', '\u201F'].map((c) => [c, '"'] as const),
  // No-break and typographic spaces.
  ...['\u00A0', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u202F', '\u205F', '\u3000'].map(
    (c) => [c, ' '] as const,
  ),
]);

const FOLDABLE = new RegExp(`[${[...PUNCTUATION.keys()].join('')}]`, 'g');

/** A line with surrounding whitespace removed and typographic punctuation folded to ASCII. */
export function normalizeLine(line: string): string {
  return line.trim().replace(FOLDABLE, (c) => PUNCTUATION.get(c) ?? c);
}

const trimEnd = (s: string): string => s.trimEnd();
const trimBoth = (s: string): string => s.trim();
const LEVELS: ReadonlyArray<((s: string) => string) | null> = [null, trimEnd, trimBoth, normalizeLine];

/**
 * The index in `lines` where `pattern` starts, searching from `start`; null when it is nowhere. With
 * `endOfFile`, the pattern is first looked for at the very end of the file.
 */
export function seekSequence(lines: readonly string[], pattern: readonly string[], start: number, endOfFile: boolean): number | null {
  if (pattern.length === 0) return start;
  if (pattern.length > lines.length) return null;
  const from = endOfFile ? lines.length - pattern.length : start;
  const last = lines.length - pattern.length;
  for (const fold of LEVELS) {
    const p = fold ? pattern.map(fold) : pattern;
    for (let i = from; i <= last; i++) {
      let ok = true;
      for (let j = 0; j < p.length; j++) {
        const line = lines[i + j] as string;
        if ((fold ? fold(line) : line) !== p[j]) {
          ok = false;
          break;
        }
      }
      if (ok) return i;
    }
  }
  return null;
}
