/**
 * Resuming a long thread in the interactive UI: only its last entries are shown, after a dim line that
 * counts the rest, while the model still gets the whole history.
 */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../src/config/index.js';
import type { ResponseItem } from '../../src/providers/index.js';
import { openRollout } from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';
import { RESUME_SHOWN_ENTRIES, resumeSession } from '../../src/ui/commands.js';
import { UiController } from '../../src/ui/controller.js';
import { replayTail } from '../../src/ui/replay.js';
import { createStyle } from '../../src/ui/style.js';
import { makeHome } from '../support/cli.js';

const s = createStyle(false);

function thread(home: string, turns: number): string {
  const id = uuidv7();
  const rec = openRollout(home, {
    id,
    timestamp: new Date().toISOString(),
    cwd: home,
    originator: 'opencodex_cli',
    cli_version: '0.1.0',
    source: 'cli',
    model_provider: 'openai',
    base_instructions: { text: 'be brief' },
  });
  for (let i = 0; i < turns; i++) {
    rec.item({ type: 'message', role: 'user', content: [{ type: 'input_text', text: `question ${i}` }] });
    rec.item({ type: 'function_call', name: 'shell', call_id: `c${i}`, arguments: JSON.stringify({ command: ['bash', '-lc', `echo ${i}`] }) });
    rec.item({ type: 'function_call_output', call_id: `c${i}`, output: `Exit code: 0\nOutput:\n${i}\n` });
    rec.item({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `answer ${i}` }] });
  }
  rec.close();
  return rec.path;
}

function controller(home: string): UiController {
  const loaded = loadConfig({ home, env: {} });
  return new UiController({
    settings: { loaded, catalog: SHIPPED_CATALOG, model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'), provider: resolveProvider(loaded, {}), cwd: home, addDirs: [], approvalPolicy: 'on-request' },
    style: s,
    env: { PATH: process.env.PATH },
    onExit: () => undefined,
  });
}

describe('resuming a long thread', () => {
  it('shows the last entries after a dim line counting the earlier ones; the model gets everything', () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    const path = thread(home, 1000); // 3 entries a turn: prompt, command, answer
    const c = controller(home);
    const before = c.transcript.history.length;
    resumeSession(c, path);
    const shown = c.transcript.history.slice(before).map((h) => h.text);
    expect(shown[0]).toMatch(/^• resumed session /);
    expect(shown[1]).toBe(`… ${(3000 - RESUME_SHOWN_ENTRIES).toLocaleString('en-US')} earlier entries not shown`);
    expect(shown.slice(2)).toHaveLength(RESUME_SHOWN_ENTRIES);
    const text = shown.join('\n');
    expect(text).toContain('question 999');
    expect(text).toContain('answer 999');
    expect(text).not.toMatch(/question 900\b/);
    expect(text).not.toMatch(/answer 0\b/);
    expect(c.session.history.filter((i) => i.type === 'message' && i.role === 'user')).toHaveLength(1000);
    expect(c.session.history).toHaveLength(4000);
  });

  it('shows a short thread whole, without the line', () => {
    const history: ResponseItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello' }] },
    ];
    expect(replayTail(history, s, 200)).toEqual({ entries: [expect.stringContaining('hi'), expect.stringContaining('hello')], hidden: 0 });
    expect(replayTail(history, s, 1)).toEqual({ entries: [expect.stringContaining('hello')], hidden: 1 });
  });
});
