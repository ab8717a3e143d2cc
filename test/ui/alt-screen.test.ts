/**
 * `--alt-screen`: the alternate screen has no scrollback, so the UI draws the history itself in the rows the
 * live part leaves, following its end, and PgUp/PgDn scroll it (src/ui/alt-history.ts).
 */
import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import { historyRows, historyWindow, scrolled } from '../../src/ui/alt-history.js';
import { App } from '../../src/ui/components/App.js';
import { UiController } from '../../src/ui/controller.js';
import { createStyle } from '../../src/ui/style.js';
import type { HistoryEntry } from '../../src/ui/transcript.js';
import { makeHome } from '../support/cli.js';

const plain = createStyle(false);
const entry = (id: number, text: string, joined = false): HistoryEntry => ({ id, text, ...(joined ? { joined } : {}) });

describe('the history as rows', () => {
  it('puts a blank row between entries, none before a joined one, and wraps long lines under their marker', () => {
    const rows = historyRows([entry(1, 'one'), entry(2, 'two', true), entry(3, `• ${'word '.repeat(6).trim()}`)], 16);
    expect(rows).toEqual(['one', 'two', '', '• word word word', '  word word word']);
  });

  it('shows the end, or a scrolled part with what is below it; a scrolled view stays on its text as rows are added', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    expect(historyWindow(rows, 3, null, plain)).toBe('line 18\nline 19\nline 20');
    const up = scrolled(null, -5, rows.length, 3);
    expect(up).toEqual({ offset: 5, total: 20 });
    expect(historyWindow(rows, 3, up, plain)).toBe('line 14\nline 15\n↓ 5 more lines below · PgDn');
    // Five more rows printed meanwhile: the same text stays in view, with more below it.
    const longer = [...rows, ...Array.from({ length: 5 }, (_, i) => `line ${21 + i}`)];
    expect(historyWindow(longer, 3, up, plain)).toBe('line 14\nline 15\n↓ 10 more lines below · PgDn');
    // Scrolling never goes past the start, and back down to the end it follows the end again.
    expect(scrolled(up, -100, rows.length, 3)).toEqual({ offset: 18, total: 20 });
    expect(historyWindow(rows, 3, { offset: 18, total: 20 }, plain)).toBe('line 1\nline 2\n↓ 18 more lines below · PgDn');
    expect(scrolled(up, 100, rows.length, 3)).toBeNull();
  });
});

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

describe('the UI on the alternate screen', () => {
  it('draws the end of the history within the window, PgUp/PgDn scroll it, and sending a prompt returns to the end', async () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    const loaded = loadConfig({ home });
    const controller = new UiController({
      settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
      style: plain,
      env: { PATH: process.env.PATH },
      onExit: () => undefined,
      now: () => 1_000_000,
      altScreen: true,
    });
    controller.print(Array.from({ length: 80 }, (_, i) => `entry ${i + 1}`).join('\n'));
    const r = render(createElement(App, { controller, now: () => 1_000_000 }));
    unmount = r.unmount;
    const frame = async (test: (f: string) => boolean): Promise<string> => {
      const deadline = Date.now() + 5000;
      while (!test(r.lastFrame() ?? '')) {
        if (Date.now() > deadline) throw new Error(`timed out; the frame was:\n${r.lastFrame() ?? ''}`);
        await new Promise((res) => setTimeout(res, 10));
      }
      return r.lastFrame() ?? '';
    };
    const first = await frame((f) => f.includes('entry 80'));
    // Within the window's rows (the test terminal's), the prompt and footer included; the start is not drawn.
    const rows = controller.getSnapshot().rows;
    expect(first.split('\n').length).toBeLessThan(rows);
    expect(first).not.toContain('entry 1\n');
    expect(first).toContain('ask anything');

    r.stdin.write('\u001b[5~'); // PgUp
    const up = await frame((f) => f.includes('more lines below'));
    expect(up).not.toContain('entry 80');
    expect(up.split('\n').length).toBeLessThan(rows);
    r.stdin.write('\u001b[5~');
    r.stdin.write('\u001b[5~');
    r.stdin.write('\u001b[5~');
    r.stdin.write('\u001b[5~');
    r.stdin.write('\u001b[5~');
    await frame((f) => /entry 1\n/.test(f));
    r.stdin.write('\u001b[6~'); // PgDn
    await frame((f) => !/entry 1\n/.test(f));

    controller.user('back to the end');
    await frame((f) => f.includes('back to the end') && f.includes('entry 80') && !f.includes('more lines below'));
  });
});
