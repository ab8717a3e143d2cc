/**
 * Nothing the model, a command, a file or a server wrote can drive the terminal: every control character
 * in such text is shown escaped (`\x1b]0;…`), wherever the UI shows it — answers, reasoning, command
 * lines and output, diffs, plans, notices and errors, approval questions, pickers, a resumed thread.
 * A carriage return in command output (a progress bar) writes over the line as a terminal would.
 */
import { describe, expect, it } from 'vitest';
import type { ResponseItem } from '../../src/providers/index.js';
import type { ApprovalQuestion } from '../../src/sandbox/index.js';
import { approvalView, declineLine } from '../../src/ui/approval-view.js';
import type { Overlay, Snapshot } from '../../src/ui/controller.js';
import { formatAnswer, formatCommand, formatError, formatMcpCall, formatNotice, formatPatch, formatPlan, formatReasoning, formatUser, outputLine } from '../../src/ui/format.js';
import { replayEntries } from '../../src/ui/replay.js';
import { createStyle } from '../../src/ui/style.js';
import { bottomView } from '../../src/ui/views.js';

const plain = createStyle(false);
const colour = createStyle(true);

const TITLE = '\u001b]0;pwned\u0007';
const CLIPBOARD = '\u001b]52;c;ZWNobyBoaQ==\u001b\\';
const LINK = '\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\';
const CURSOR = '\u001b[2J\u001b[H';
const C1 = '\u009b31m';
const HOSTILE = `a${TITLE}b${CLIPBOARD}c${LINK}d${CURSOR}e${C1}f\u0007\u0008`;

/** Control characters the UI did not put there: none but its own SGR colours (ESC [ … m). */
function foreignControls(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  const own = text.replace(/\u001b\[[0-9;]*m/g, '');
  // eslint-disable-next-line no-control-regex
  return [...own.matchAll(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g)].map((m) => m[0]);
}

describe('foreign text is inert on screen', () => {
  it('in answers, reasoning, prompts, notices and errors', () => {
    for (const s of [plain, colour]) {
      for (const text of [formatAnswer(`# Title ${HOSTILE}\n\n- item ${TITLE}\n\n\`\`\`sh\n${HOSTILE}\n\`\`\``, s), formatReasoning(HOSTILE, s), formatUser(HOSTILE, [], s), formatNotice(HOSTILE, s), formatError(HOSTILE, s)]) {
        expect(foreignControls(text)).toEqual([]);
        expect(text).toContain('\\x1b]0;pwned\\x07');
      }
    }
    expect(formatAnswer(`say ${TITLE}`, plain)).toBe('say \\x1b]0;pwned\\x07');
  });

  it('in commands, their output, patches, plans and MCP calls', () => {
    const cmd = { id: 'c1', type: 'command_execution' as const, command: `echo ${TITLE}`, cwd: `/w${TITLE}`, aggregated_output: `${HOSTILE}\nok\n`, exit_code: 0, status: 'completed' as const };
    const texts = [
      formatCommand(cmd, colour, { sessionCwd: '/w' }),
      formatCommand({ ...cmd, status: 'in_progress' }, colour, { liveTail: 3 }),
      formatPatch(
        { id: 'p1', type: 'file_change', changes: [{ path: `a${TITLE}.txt`, kind: 'update' }], status: 'completed' },
        [{ path: `a${TITLE}.txt`, kind: 'update', diff: `@@ -1 +1 @@\n-old ${CLIPBOARD}\n+new ${LINK}\n` }],
        colour,
      ),
      formatPlan({ id: 't1', type: 'todo_list', items: [{ text: HOSTILE, completed: false }, { text: TITLE, completed: true }] }, colour),
      formatMcpCall({ id: 'm1', type: 'mcp_tool_call', server: `s${TITLE}`, tool: 't', arguments: { [`k${TITLE}`]: HOSTILE }, status: 'completed', result: { content: [{ type: 'text', text: HOSTILE }] } } as never, colour),
    ];
    for (const t of texts) {
      expect(foreignControls(t)).toEqual([]);
      expect(t).toMatch(/\\x1b/);
    }
  });

  it('a progress bar written over itself with carriage returns shows its last state', () => {
    expect(outputLine('progress 10%\rprogress 55%\rprogress 100%')).toBe('progress 100%');
    expect(outputLine('downloading 100%\rdone')).toBe('doneloading 100%');
    expect(outputLine('line\r')).toBe('line');
    const cmd = { id: 'c1', type: 'command_execution' as const, command: 'fetch', cwd: '/w', aggregated_output: '0%\r50%\r100%\r\nsaved\r\n', exit_code: 0, status: 'completed' as const };
    expect(formatCommand(cmd, plain)).toMatch(/│ 100%\n\s+│ saved$/);
  });

  it('in approval questions, refusal lines and pickers', () => {
    const command: ApprovalQuestion = { kind: 'command', argv: ['bash', '-lc', `printf '${TITLE}'`], cwd: `/w${CURSOR}`, reason: HOSTILE, justification: CLIPBOARD, retryWithoutSandbox: false, sandbox: 'policy' };
    const patch: ApprovalQuestion = { kind: 'patch', changes: [{ path: `/w/a${TITLE}`, kind: 'add', preview: { diff: `@@ -0,0 +1 @@\n+${HOSTILE}\n`, oldText: null, newText: `${HOSTILE}\n` } }], cwd: '/w', reason: 'r' };
    const mcp: ApprovalQuestion = { kind: 'mcp_tool', server: `s${TITLE}`, tool: `t${LINK}`, arguments: { q: HOSTILE }, reason: HOSTILE };
    for (const question of [command, patch, mcp]) {
      const o: Extract<Overlay, { kind: 'approval' }> = { kind: 'approval', question, selected: 0, explaining: null, scroll: 0, waiting: 0 };
      const view = approvalView(o, colour, '/w', 40, 100);
      expect(foreignControls(view)).toEqual([]);
      expect(view).toContain('\\x1b]');
      expect(foreignControls(declineLine(question, HOSTILE, colour))).toEqual([]);
    }
    const picker: Overlay = { kind: 'picker', title: 'Resume a session', items: [{ label: `fix ${TITLE}`, detail: `/w${CURSOR}`, columns: [`019a${C1}`], value: 1 }], selected: 0 };
    const snap = { overlay: picker, columns: 100, rows: 30, editor: { text: '', cursor: 0, recall: [] } } as unknown as Snapshot;
    const view = bottomView(snap, colour, '/w', 20);
    expect(foreignControls(view)).toEqual([]);
    expect(view).toContain('fix \\x1b]0;pwned\\x07');
  });

  it('in a resumed thread', () => {
    const call = (id: string, name: string, args: unknown): ResponseItem => ({ type: 'function_call', call_id: id, name, arguments: JSON.stringify(args) });
    const history: ResponseItem[] = [
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: `hi ${TITLE}` }] },
      { type: 'reasoning', summary: [{ type: 'summary_text', text: HOSTILE }] } as ResponseItem,
      call('c1', 'shell_command', { command: `echo ${TITLE}` }),
      { type: 'function_call_output', call_id: 'c1', output: `exec command rejected by user: ${CLIPBOARD}` },
      call('c2', 'apply_patch', { input: `*** Begin Patch\n*** Add File: a${TITLE}\n+x\n*** End Patch` }),
      { type: 'function_call_output', call_id: 'c2', output: `verification failed ${LINK}` },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `done ${HOSTILE}` }] } as ResponseItem,
    ];
    const text = replayEntries(history, colour).join('\n');
    expect(foreignControls(text)).toEqual([]);
    expect(text).toContain('echo \\x1b]0;pwned\\x07');
  });
});
