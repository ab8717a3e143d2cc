/** The interactive transcript shows a hosted web search once it is done. */
import { describe, expect, it } from 'vitest';
import { createStyle } from '../../src/ui/style.js';
import { Transcript } from '../../src/ui/transcript.js';

describe('transcript: web search', () => {
  it('prints "Searched the web: <query>" when the search completes, and nothing when it starts', () => {
    const t = new Transcript({ style: createStyle(false), hideReasoning: false, cwd: '/w' });
    t.handle({ type: 'turn.started' });
    t.handle({ type: 'item.started', item: { id: 'item_0', type: 'web_search', provider_id: 'ws_1', query: '', action: { type: 'other' } } });
    expect(t.history.map((h) => h.text).join('\n')).not.toContain('Searched');
    t.handle({ type: 'item.completed', item: { id: 'item_0', type: 'web_search', provider_id: 'ws_1', query: 'node 20 release', action: { type: 'search', query: 'node 20 release' } } });
    t.handle({ type: 'item.completed', item: { id: 'item_1', type: 'web_search', provider_id: 'ws_2', query: '', action: { type: 'other' } } });
    const text = t.history.map((h) => h.text).join('\n');
    expect(text).toContain('Searched the web: node 20 release');
    expect(text).toMatch(/Searched the web$/m);
  });
});
