/** The UI's pure parts: the editor, Markdown, diffs, the streaming cut, the model picker, the footer figures. */
import { describe, expect, it } from 'vitest';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import * as ed from '../../src/ui/editor.js';
import { displayCommand, formatPlan, formatWorked, workedDuration } from '../../src/ui/format.js';
import { completeLines, renderMarkdown } from '../../src/ui/markdown.js';
import { effortItems, modelItems } from '../../src/ui/model-picker.js';
import { estimatedCost, contextLeftPercent, exitUsageLine } from '../../src/ui/status.js';
import { createStyle, rowsOf, stripAnsi, tailRows, terminalStyle } from '../../src/ui/style.js';

const plain = createStyle(false);
const color = createStyle(true);

describe('NO_COLOR', () => {
  it('takes the colours away and keeps bold, dim and italic; a dumb terminal gets neither', () => {
    const s = terminalStyle({ NO_COLOR: '1', TERM: 'xterm-256color' });
    expect(s.red('x')).toBe('x');
    expect(s.bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(s.dim(s.italic('x'))).toBe('\u001b[2m\u001b[3mx\u001b[23m\u001b[22m');
    expect(renderMarkdown('# Title\n\n**bold** and `code`', s)).toBe('\u001b[1m\u001b[4mTitle\u001b[24m\u001b[22m\n\n\u001b[1mbold\u001b[22m and `code`');
    const dumb = terminalStyle({ TERM: 'dumb' });
    expect(dumb.bold('x')).toBe('x');
    expect(terminalStyle({ TERM: 'xterm', FORCE_COLOR: '1' }).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});

describe('editor', () => {
  it('edits, continues a line with a backslash, and submits', () => {
    let e = ed.insert(ed.emptyEditor(), 'hello \\');
    let r = ed.enter(e);
    expect(r.submit).toBeNull();
    e = ed.insert(r.next, 'world');
    expect(e.text).toBe('hello \nworld');
    e = ed.backspace(ed.left(e));
    expect(e.text).toBe('hello \nword');
    r = ed.enter(ed.end(e));
    expect(r.submit).toBe('hello \nword');
    expect(r.next.text).toBe('');
    expect(r.next.recall).toEqual(['hello \nword']);
  });

  it('moves between lines, then recalls earlier prompts and comes back to the draft', () => {
    let e = ed.insert(ed.emptyEditor(['first', 'second']), 'ab\ncd');
    e = ed.up(e);
    expect(e.cursor).toBe(2);
    e = ed.up(e);
    expect(e.text).toBe('second');
    e = ed.up(e);
    expect(e.text).toBe('first');
    e = ed.down(ed.down(e));
    expect(e.text).toBe('ab\ncd');
  });

  it('deletes words and lines, and keeps surrogate pairs whole', () => {
    expect(ed.deleteWord(ed.insert(ed.emptyEditor(), 'one two  ')).text).toBe('one ');
    expect(ed.killToStart(ed.insert(ed.emptyEditor(), 'a\nbcd')).text).toBe('a\n');
    expect(ed.backspace(ed.insert(ed.emptyEditor(), 'x😀')).text).toBe('x');
    expect(ed.insert(ed.emptyEditor(), 'a\r\nb').text).toBe('a\nb');
  });

  it('moves and deletes by word: a word is a run of word characters or of punctuation', () => {
    const at = (text: string, cursor: number): ed.EditorState => ({ ...ed.emptyEditor(), text, cursor });
    const text = 'git commit -m "fix: the parser"';
    const stops: number[] = [];
    for (let e = at(text, text.length); e.cursor > 0; e = ed.wordLeft(e)) stops.push(ed.wordLeft(e).cursor);
    expect(stops).toEqual([30, 24, 20, 18, 15, 14, 12, 11, 4, 0]);
    const ends: number[] = [];
    for (let e = at(text, 0); e.cursor < text.length; e = ed.wordRight(e)) ends.push(ed.wordRight(e).cursor);
    expect(ends).toEqual([3, 10, 12, 13, 15, 18, 19, 23, 30, 31]);
    expect(ed.deleteWord(at('open src/ui/keys.ts', 19)).text).toBe('open src/ui/keys.');
    expect(ed.deleteWord(at('one two  ', 9))).toMatchObject({ text: 'one ', cursor: 4 });
    expect(ed.deleteWordForward(at('one two three', 3))).toMatchObject({ text: 'one three', cursor: 3 });
    expect(ed.deleteWordForward(at('a  ', 1))).toMatchObject({ text: 'a', cursor: 1 });
  });
});

describe('markdown', () => {
  it('renders headings, emphasis, code, lists and quotes', () => {
    const out = stripAnsi(renderMarkdown('# Head\n\nSome **bold** and `x` and [link](http://a).\n\n- one\n  - two\n1. three\n> quoted\n\n```js\nconst a = "s"; // c\n```', color));
    expect(out).toBe('Head\n\nSome bold and x and link (http://a).\n\n• one\n  • two\n1. three\n│ quoted\n\nconst a = "s"; // c');
    expect(renderMarkdown('```js\nconst a = 1;\n```', color)).toContain('\u001b[36mconst\u001b[39m');
  });

  it('parses as CommonMark/GFM does (marked): setext headings, escapes, numbers as written, loose lists, nested blocks, links', () => {
    expect(stripAnsi(renderMarkdown('Title\n=====\n\nnot \\*emphasis\\* and a_snake_case_name', color))).toBe('Title\n\nnot *emphasis* and a_snake_case_name');
    expect(renderMarkdown('3) three\n4) four', plain)).toBe('3) three\n4) four');
    expect(renderMarkdown('- a\n\n- b', plain)).toBe('• a\n\n• b');
    expect(renderMarkdown('1. step\n\n   ```sh\n   make\n   ```', plain)).toBe('1. step\n\n   make');
    expect(renderMarkdown('- [x] done\n- [ ] todo', plain)).toBe('✔ done\n□ todo');
    expect(stripAnsi(renderMarkdown('see https://example.com/x and ![logo](img.png) and ~~old~~', color))).toBe('see https://example.com/x and logo (img.png) and old');
    // Emphasis the style cannot show keeps its markers; so does code without colour.
    expect(renderMarkdown('**b** _i_ `c`', plain)).toBe('**b** _i_ `c`');
    // HTML is shown as written.
    expect(renderMarkdown('<details>x</details>', plain)).toBe('<details>x</details>');
  });

  it('renders tables in aligned columns, with alignment, inline styles and escaped pipes', () => {
    const md = 'Before\n\n| Name | Size | Note |\n|:-----|-----:|:----:|\n| `a.ts` | 12 | x \\| y |\n| longer name | 3 |  |\n\nAfter';
    expect(renderMarkdown(md, plain)).toBe(
      ['Before', '', 'Name        │ Size │ Note', '────────────┼──────┼──────', '`a.ts`      │   12 │ x | y', 'longer name │    3 │', '', 'After'].join('\n'),
    );
    expect(stripAnsi(renderMarkdown('| a | b |\n|---|---|\n| **x** | 1 |', color))).toBe('a │ b\n──┼──\nx │ 1');
    // Not a table without its delimiter row.
    expect(renderMarkdown('a | b\nc | d', plain)).toBe('a | b\nc | d');
    // While streaming, a table's rows wait for the table to end.
    expect(completeLines('Intro\n| a | b |\n|---|---|\n| 1 | 2 |\n', null)).toEqual({ length: 6, fence: null });
    expect(completeLines('Intro\n| a | b |\n|---|---|\n| 1 | 2 |\n\nAfter\n', null).length).toBe(43);
  });

  it('cuts a streaming message after its last complete, non-blank line, carrying an open code fence', () => {
    expect(completeLines('one\n\ntw', null)).toEqual({ length: 4, fence: null });
    expect(completeLines('one\n\n', null)).toEqual({ length: 4, fence: null });
    expect(completeLines('partial', null)).toEqual({ length: 0, fence: null });
    expect(completeLines('text\n\n```ts\ncode\n\nmo', null)).toEqual({ length: 17, fence: '```ts' });
    // The opening fence waits for its first line of code.
    expect(completeLines('text\n\n```ts\nco', null)).toEqual({ length: 5, fence: null });
    expect(completeLines('more code\n```\n\nafter', '```ts')).toEqual({ length: 14, fence: null });
    expect(completeLines('\n\n', '```')).toEqual({ length: 0, fence: '```' });
    // A part of a code block renders as code with its fence line before it; an empty open fence draws nothing.
    expect(renderMarkdown('```js\nconst a = 1;', color)).toContain('\u001b[36mconst\u001b[39m');
    expect(renderMarkdown('para\n\n```js', plain)).toBe('para\n');
  });
});

describe('format', () => {
  it('shows commands as typed', () => {
    expect(displayCommand("bash -lc 'ls && echo '\\''x'\\'''")).toBe("ls && echo 'x'");
    expect(displayCommand('git status')).toBe('git status');
  });

  it('draws the plan as a checklist', () => {
    expect(formatPlan({ id: 'p', type: 'todo_list', items: [{ text: 'a', completed: true }, { text: 'b', completed: false }] }, plain)).toBe('▌ Plan 1/2 done\n  ✔ a\n  □ b');
  });

  it('fits text to the rows there are', () => {
    expect(rowsOf('abcdef\nx', 3)).toBe(3);
    expect(tailRows('1\n2\n3\n4', 3, 10, (n) => `+${n}`)).toBe('+2\n3\n4');
  });
});

describe('model picker and figures', () => {
  it('lists recommended models first, then alternatives, then models from the config', () => {
    const items = modelItems(SHIPPED_CATALOG, [{ model: 'llama3', provider: 'ollama', where: 'local' }], 'openai');
    expect(items[0]?.section).toBe('Recommended');
    const alt = items.findIndex((i) => i.section === 'Alternatives');
    const custom = items.findIndex((i) => i.section === 'From your config');
    expect(alt).toBeGreaterThan(0);
    expect(custom).toBeGreaterThan(alt);
    expect(items[custom]?.value).toEqual({ slug: 'llama3', provider: 'ollama' });
    expect(items.some((i) => SHIPPED_CATALOG.models.find((m) => m.slug === i.label)?.status === 'retired')).toBe(false);
  });

  it('offers the efforts the model supports', () => {
    const m = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');
    expect(effortItems(m, 'high').map((i) => i.value)).toEqual(m.facts.reasoningEfforts);
    expect(effortItems(lookupModel(SHIPPED_CATALOG, 'my-local-model'), undefined)).toEqual([]);
  });

  it('computes context left and cost', () => {
    const m = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');
    expect(contextLeftPercent(m, m.facts.contextWindow / 4)).toBe(75);
    const usage = { input_tokens: 1_000_000, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 };
    const priced = { ...m, entry: m.entry ? { ...m.entry, price: { input: 1.5, cached_input: 'unknown' as const, output: 3 } } : undefined };
    expect(estimatedCost(priced, usage)).toBe(1.5);
    expect(estimatedCost({ ...m, entry: undefined }, usage)).toBeNull();
  });

  it('says how long a turn took, and the session\'s tokens (and cost, when priced) on leaving', () => {
    expect([500, 12_400, 65_000, 3_725_000].map(workedDuration)).toEqual(['0s', '12s', '1m 05s', '1h 02m 05s']);
    expect(formatWorked(65_000, plain)).toBe('─ Worked for 1m 05s ─');
    const m = lookupModel(SHIPPED_CATALOG, 'gpt-5.4');
    const none = { input_tokens: 0, cached_input_tokens: 0, cache_write_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0 };
    expect(exitUsageLine({ model: m, usage: none })).toBeNull();
    const usage = { input_tokens: 13_800, cached_input_tokens: 3_800, cache_write_input_tokens: 0, output_tokens: 307, reasoning_output_tokens: 64 };
    const unpriced = { ...m, entry: undefined };
    expect(exitUsageLine({ model: unpriced, usage })).toBe('Token usage: total=10,307 input=10,000 (+ 3,800 cached) output=307 (reasoning 64)');
    const priced = { ...m, entry: m.entry ? { ...m.entry, price: { input: 2, cached_input: 0.2, output: 10 } } : undefined };
    expect(exitUsageLine({ model: priced, usage })).toMatch(/output=307 \(reasoning 64\) · estimated cost ~\$0\.02$/);
  });
});
