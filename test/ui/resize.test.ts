/** What is written before ink redraws a narrowed window (src/ui/resize.ts). */
import { describe, expect, it } from 'vitest';
import { reflowedRows, reflowErase } from '../../src/ui/resize.js';

describe('narrowing a reflowing terminal', () => {
  const frame = ['', '› ' + 'x'.repeat(58), 'footer of forty characters ............'];

  it('counts the rows each drawn line takes at the new width', () => {
    expect(reflowedRows(frame, 60)).toBe(3);
    expect(reflowedRows(frame, 30)).toBe(1 + 2 + 2);
    expect(reflowedRows(['é'.repeat(10), '漢字漢字'], 4)).toBe(3 + 2);
  });

  it('erases the rows the reflow added, from the row under the frame up, and leaves the cursor one row higher', () => {
    expect(reflowErase(frame, 60)).toBe('');
    // Two rows added at 30 columns: erase the row under the frame and the one above, then step up once more.
    expect(reflowErase(frame, 30)).toBe('\u001b[2K\u001b[1A\u001b[2K\u001b[1A\u001b[G');
  });
});
