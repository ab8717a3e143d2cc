/**
 * In a real terminal (tmux reflows its screen, as most terminals do): narrowing the window twice while a
 * long prompt is typed leaves one prompt on screen, not ghost copies of the frame above the new one
 * (src/ui/resize.ts); widening it again keeps one too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome } from '../support/cli.js';
import { Terminal } from './tmux.js';

const PROMPT = 'some words typed into the prompt, long enough to wrap once the window gets narrow';

describe('resizing the terminal', () => {
  it('leaves no ghost copies of the prompt and footer when the window narrows and widens', async () => {
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-ui-resize-')));
    execFileSync('git', ['init', '-q', ws]);
    const home = makeHome({ 'config.toml': `model = "gpt-5.4"\n[projects."${ws}"]\ntrust_level = "trusted"\n` });
    const term = await Terminal.start({ args: [], cwd: ws, columns: 100, rows: 30, env: { OPENCODEX_HOME: home, HOME: home, OPENAI_API_KEY: 'sk-test' } });
    try {
      await term.waitFor(/ask anything/);
      await term.submit('/status');
      await term.waitFor(/session id:/);
      await term.type(PROMPT);
      await term.waitFor((s) => s.includes('narrow'));
      // One prompt marker and one footer, the whole prompt: a ghost would repeat the top of the old frame.
      const once = (screen: string): boolean =>
        screen.split('› ').length - 1 === 1 && (screen.match(/gpt-5\.4 \w+ · openai/g) ?? []).length === 1 && screen.replace(/\s+/g, '').includes(PROMPT.replace(/\s+/g, ''));
      for (const columns of [60, 44, 90]) {
        await term.resize(columns);
        // Redrawn at the new width: the footer's line starts at the left edge and nothing is repeated.
        const screen = await term.waitFor((s) => once(s) && s.split('\n').every((l) => l.length <= columns), { timeoutMs: 5000 });
        expect(once(screen)).toBe(true);
      }
    } finally {
      await term.close();
    }
  });
});
