/**
 * `opencodex exec review` end to end: the built CLI against the scripted server, on both wires, in real git
 * repositories. What the model is sent (the request naming the changes, the guidelines, the review JSON as
 * a structured-output format where the provider takes one, no apply_patch, a read-only sandbox), and what is
 * printed (findings grouped by priority with path:line, `--json` as data, prose as prose; exit 0).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn, type RecordedRequest } from '../support/scripted-server.js';
import { jsonLines, useScriptedServer, type Json } from '../support/e2e.js';
import { BUG, git, gitEnv, reviewAnswer as review, reviewRepo as repo } from '../support/review.js';

const server = useScriptedServer();
const env = { MOCK_KEY: 'sk-review-test-5678', ...gitEnv };

function home(wire: 'responses' | 'chat', extra = '', providerExtra = ''): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "${wire}"\n${providerExtra}\n`,
  });
}

const toolNames = (r: RecordedRequest | undefined): string[] =>
  ((r?.body?.tools ?? []) as Json[]).map((t) => String(t.name ?? (t.function as Json | undefined)?.name));

/** Every text the request's messages carry, in order (both wires). */
function texts(r: RecordedRequest | undefined): string[] {
  const items = ((r?.body?.input ?? r?.body?.messages ?? []) as Json[]);
  return items.flatMap((m) => {
    if (typeof m.content === 'string') return [m.content];
    return Array.isArray(m.content) ? (m.content as Json[]).map((c) => String(c.text ?? '')) : [];
  });
}

describe('exec review', () => {
  it('--uncommitted on the Responses wire: the request names the changes, the review JSON is the text format, findings print by priority', async () => {
    const cwd = repo({ 'pages.ts': BUG, 'notes.md': 'pages\n' });
    server.reply(
      turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'cat pages.ts && touch written-by-review' }, callId: 'c1' }] }),
      turn({ text: JSON.stringify(review(cwd)) }),
    );
    const r = await runCliAsync(['exec', 'review', '--uncommitted'], { home: home('responses', 'review_model = "gpt-5.4-mini"'), cwd, env });
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      [
        'Verdict: patch is incorrect (confidence 0.8)',
        'The page count is one short whenever the items do not fill the last page.',
        '',
        '2 findings:',
        '',
        'P1 · urgent',
        '- pages.ts:2 — Last partial page is dropped (confidence 0.9)',
        '  `Math.floor` loses the remainder: 11 items at 10 a page give 1 page.',
        '',
        'P3 · low',
        '- notes.md:1-3 — Name the helper (confidence 0.4)',
        '  A name would say what the division is for.',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toMatch(/\nuser\nReview current changes \(2 files\)\n/);
    const first = server.requests[0];
    expect(first?.body?.model).toBe('gpt-5.4-mini');
    expect(first?.body?.text).toMatchObject({ format: { type: 'json_schema', strict: true, schema: { required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'] } } });
    expect(toolNames(first)).toContain('shell_command');
    expect(toolNames(first)).not.toContain('apply_patch');
    const sent = texts(first);
    expect(sent.some((t) => t.startsWith('# Code review'))).toBe(true);
    expect(sent.some((t) => /sandbox_mode.*read-only|read-only/.test(t))).toBe(true);
    const ask = sent.at(-1) as string;
    expect(ask).toMatch(new RegExp(`^Review the uncommitted changes in ${cwd}: what is staged, what is not, and the untracked files`));
    expect(ask).toMatch(/^ {2}\+1 -1 +pages\.ts$/m);
    expect(ask).toContain('notes.md (untracked)');
    expect(ask).toContain('-  return Math.ceil(n / size);\n+  return Math.floor(n / size);');
    // The command ran read-only: it read the file, and could not write.
    const output = JSON.stringify(server.requests[1]?.body?.input);
    expect(output).toContain('Math.floor(n / size)');
    expect(output).toMatch(/Read-only file system|Permission denied/);
  });

  it('on the Chat wire (no structured output with tools): the JSON in a fenced answer is found; --json ends with the review as data', async () => {
    const cwd = repo();
    git(cwd, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(cwd, 'pages.ts'), BUG);
    git(cwd, 'commit', '-q', '-am', 'Floor the pages');
    const data = review(cwd);
    server.reply(turn({ text: `Here is my review.\n\n\`\`\`json\n${JSON.stringify(data, null, 2)}\n\`\`\`\n` }));
    const r = await runCliAsync(['exec', 'review', '--json', '--base', 'main'], { home: home('chat'), cwd, env });
    expect(r.status).toBe(0);
    const body = server.requests[0]?.body ?? {};
    expect(body.response_format).toBeUndefined();
    expect(toolNames(server.requests[0])).not.toContain('apply_patch');
    const base = git(cwd, 'merge-base', 'HEAD', 'main').trim();
    expect(texts(server.requests[0]).at(-1)).toMatch(new RegExp(`^Review the changes of the current branch against the base branch main: everything since their merge base ${base}`));
    const lines = jsonLines(r.stdout);
    expect(lines.at(-2)).toMatchObject({ type: 'turn.completed' });
    const last = lines.at(-1) as Json;
    expect(last).toMatchObject({ type: 'review.completed', target: { type: 'baseBranch', branch: 'main' }, hint: 'changes against main' });
    expect(last.review).toEqual({
      findings: [
        { title: 'Last partial page is dropped', body: (data.findings as Json[])[0]?.body, priority: 1, confidence_score: 0.9, code_location: { absolute_file_path: join(cwd, 'pages.ts'), line_range: { start: 2, end: 2 } } },
        { title: 'Name the helper', body: (data.findings as Json[])[1]?.body, priority: 3, confidence_score: 0.4, code_location: { absolute_file_path: join(cwd, 'notes.md'), line_range: { start: 1, end: 3 } } },
      ],
      overall_correctness: 'patch is incorrect',
      overall_explanation: data.overall_explanation,
      overall_confidence_score: 0.8,
    });
  });

  it('a Chat provider that takes structured output gets response_format; a prose answer stays prose', async () => {
    const cwd = repo();
    writeFileSync(join(cwd, 'pages.ts'), BUG);
    git(cwd, 'commit', '-q', '-am', 'Floor the pages');
    const sha = git(cwd, 'rev-parse', 'HEAD').trim();
    server.reply(turn({ text: 'I looked at the change and it looks fine to me.' }));
    const r = await runCliAsync(['exec', 'review', '--commit', sha.slice(0, 8)], { home: home('chat', '', 'chat_structured_output = true'), cwd, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('I looked at the change and it looks fine to me.\n');
    expect(server.requests[0]?.body?.response_format).toMatchObject({ type: 'json_schema', json_schema: { strict: true } });
    expect(texts(server.requests[0]).at(-1)).toMatch(new RegExp(`^Review the changes introduced by commit ${sha} \\("Floor the pages"\\)`));
  });

  it('custom instructions are the request; a large diff is listed, not pasted', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => `export const v${i} = ${i};`).join('\n');
    const cwd = repo({ 'big.ts': `${big}\n` });
    server.reply(turn({ text: '{"findings": [], "overall_correctness": "patch is correct", "overall_explanation": "Nothing to flag.", "overall_confidence_score": 0.7}' }));
    const r = await runCliAsync(['exec', 'review', '--uncommitted'], { home: home('responses'), cwd, env });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('Verdict: patch is correct (confidence 0.7)\nNothing to flag.\n\nNo findings.\n');
    const ask = texts(server.requests[0]).at(-1) as string;
    expect(ask).toMatch(/^ {2}\+3000 -0 +big\.ts \(untracked\)$/m);
    expect(ask).toContain('is too large to include here');
    expect(ask).not.toContain('v2999');
    expect(r.stderr).toMatch(/\nReview current changes \(1 file; the diff is read with tools\)\n/);

    server.reply(turn({ text: '{"findings": [], "overall_correctness": "patch is correct"}' }));
    const custom = await runCliAsync(['exec', 'review', 'Check the error handling in big.ts'], { home: home('responses'), cwd, env });
    expect(custom.status).toBe(0);
    expect(texts(server.requests[1]).at(-1)).toBe('Check the error handling in big.ts');
  });

  it('says in one line when there is nothing to review, or more than one thing', async () => {
    const cwd = repo();
    const none = await runCliAsync(['exec', 'review', '--uncommitted'], { home: home('responses'), cwd, env });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(new RegExp(`^error: there are no uncommitted changes in ${cwd} to review`));
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = await runCliAsync(['exec', 'review', '--base', 'nope'], { home: home('responses'), cwd, env });
    expect(unknown.stderr).toMatch(/^error: there is no branch or commit named nope in /);
    const two = await runCliAsync(['exec', 'review', '--uncommitted', '--commit', 'HEAD'], { home: home('responses'), cwd, env });
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(/^error: exec review takes one of --uncommitted, --base, --commit or instructions, not --uncommitted and --commit/);
    expect(server.requests).toHaveLength(0);
  });
});
