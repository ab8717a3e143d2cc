/**
 * The UI's width arithmetic agrees with what ink draws: widths of emoji and symbols, rows of wrapped
 * text (word by word), truncation of styled text. The live region is kept shorter than the window by
 * these numbers, so a disagreement pushes the screen up and corrupts the scrollback.
 */
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import { createStyle, hangingWrap, rowsOf, stripAnsi, textWidth, truncate } from '../../src/ui/style.js';

/** The rows ink takes to draw `text` in a column `columns` wide. */
function inkRows(text: string, columns: number): number {
  const r = render(createElement(Box, { width: columns, flexDirection: 'column' }, createElement(Text, null, text)));
  const rows = (r.lastFrame() ?? '').split('\n').length;
  r.unmount();
  return rows;
}

const SAMPLES = ['⚠️', '❤️', '✅', '⭐', '☕', '▶️', '👍🏽', '🇫🇷', '👨‍👩‍👧', '中文', 'e\u0301', '✔', '⋮', '›', '…', '🙂', '⌚', '↩︎'];

describe('width arithmetic', () => {
  it('measures each emoji and symbol as ink lays it out', () => {
    for (const s of SAMPLES) {
      // A row of them as wide as the column, and one more: the rows counted are the rows ink draws.
      const columns = Math.floor(40 / textWidth(s)) * textWidth(s);
      for (const n of [columns / textWidth(s), columns / textWidth(s) + 1]) {
        const text = s.repeat(n);
        expect({ s, n, rows: rowsOf(text, columns) }).toEqual({ s, n, rows: inkRows(text, columns) });
      }
    }
    expect(textWidth('⚠️ careful')).toBe(10);
  });

  it('counts the rows of word-wrapped text as ink wraps it', () => {
    const texts = [
      'a fairly long sentence that wraps at word boundaries rather than at the exact column, more than once',
      `${'x'.repeat(25)} ${'y'.repeat(25)} ${'z'.repeat(25)}`,
      `short\n${'⚠️ '.repeat(30)}\n\nend`,
      `\u001b[1mbold words\u001b[22m that are ${'long '.repeat(12)}`,
    ];
    for (const t of texts) for (const columns of [20, 33, 40]) expect({ t, columns, rows: rowsOf(t, columns) }).toEqual({ t, columns, rows: inkRows(t, columns) });
  });

  it('truncates to the width with an ellipsis, keeping styles closed', () => {
    expect(truncate('⚠️⚠️⚠️ abc', 5)).toBe('⚠️⚠️…');
    expect(truncate('short', 10)).toBe('short');
    const styled = truncate(createStyle(true).red('a red line of text'), 8);
    expect(stripAnsi(styled)).toBe('a red l…');
    expect(styled.endsWith('\u001b[39m')).toBe(true);
  });

  it('wraps long lines under their own text: list items, numbered items, prompts, errors, output', () => {
    expect(hangingWrap('• a list item long enough to wrap more than once here', 20)).toBe('• a list item long\n  enough to wrap\n  more than once\n  here');
    expect(hangingWrap('  12. a numbered item that wraps', 20)).toBe('  12. a numbered\n      item that\n      wraps');
    expect(hangingWrap('› a prompt typed by the user that wraps', 20)).toBe('› a prompt typed by\n  the user that\n  wraps');
    expect(hangingWrap('  │ output of a command that wraps', 20)).toBe('  │ output of a\n    command that\n    wraps');
    expect(hangingWrap('plain text without a marker wraps as ink does', 20)).toBe('plain text without a marker wraps as ink does');
    expect(hangingWrap('short\n• fits', 20)).toBe('short\n• fits');
    // Styles carry over to the continuation lines, which fit the width.
    const red = createStyle(true).red('■ an error message that is long');
    const wrapped = hangingWrap(red, 16).split('\n');
    expect(wrapped.map(stripAnsi)).toEqual(['■ an error', '  message that', '  is long']);
    for (const l of wrapped) expect(textWidth(l)).toBeLessThanOrEqual(16);
    expect(wrapped[1]).toContain('\u001b[31m');
  });
});

