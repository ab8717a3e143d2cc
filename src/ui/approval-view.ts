/**
 * The approval question as the screen shows it, so the user approves what they can see: a command in
 * full (every line), the directory it runs in and why it needs approval (the policy's reason and the
 * model's own justification); a patch as the numbered, coloured diff of each file, computed before
 * anything is written. A preview longer than the room there is scrolls (PgUp/PgDn). Also the one line a
 * refusal leaves in the transcript.
 */
import { relative } from 'node:path';
import type { ApprovalQuestion } from '../sandbox/index.js';
import { escapeControls, escapeLine, shellWord } from '../shared/index.js';
import { renderEditor } from './editor.js';
import { numberedDiff } from './diff-view.js';
import { mcpArgsSummary, refusalLine } from './format.js';
import { rowsOf, truncate, type Style } from './style.js';
import type { Overlay } from './view-state.js';

export const APPROVAL_OPTIONS = [
  { key: 'y', label: 'Yes, once' },
  { key: 'a', label: 'Yes, and do not ask again this session' },
  { key: 'e', label: 'No, and tell the model why' },
  { key: 'n', label: 'No' },
] as const;

type ApprovalOverlay = Extract<Overlay, { kind: 'approval' }>;

/** The cursor is drawn in reverse video even without colour: it has to be visible. */
const cursor = (ch: string): string => `\u001b[7m${ch}\u001b[27m`;

/** A command as the user would type it: `bash -lc SCRIPT` is its script. */
export function commandText(argv: readonly string[]): string {
  if (argv.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(argv[0] ?? '') && /^-l?c$/.test(argv[1] ?? '')) return escapeControls(argv[2] ?? '');
  return escapeControls(argv.map(shellWord).join(' '));
}

/** A path as shown (relative to `cwd` when inside it), made inert. */
function shownPath(path: string, cwd: string): string {
  const r = relative(cwd, path);
  return escapeLine(r === '' || r.startsWith('..') ? path : r);
}

/** The one line a refused command or patch leaves in the transcript: what was not done, and why. */
export function declineLine(q: ApprovalQuestion, reason: string, s: Style): string {
  let what: string;
  if (q.kind === 'command') {
    const lines = commandText(q.argv).split('\n');
    const first = truncate(lines[0] ?? '', 80) + (lines.length > 1 ? ' …' : '');
    what = `${q.retryWithoutSandbox ? 'Not run again without the sandbox' : 'Not run'}: ${s.bold(first)}`;
  } else if (q.kind === 'patch') {
    what = `Not applied: ${s.bold(truncate(q.changes.map((c) => shownPath(c.path, q.cwd)).join(', '), 80))}`;
  } else {
    what = `Not called: ${s.bold(escapeLine(`${q.server}/${q.tool}`))}`;
  }
  if (q.agent) what += ` ${s.dim(`(asked by agent ${escapeLine(q.agent.nickname)})`)}`;
  return refusalLine(what, { declined: true, reason: escapeLine(reason) }, s);
}

/** `Agent Robie (explorer) asks: ` when a subagent asks, else nothing. */
export function askedBy(q: ApprovalQuestion, s: Style): string {
  const a = q.agent;
  if (!a) return '';
  const role = a.role && a.role !== 'default' ? s.dim(` (${escapeLine(a.role)})`) : '';
  return `${s.magenta('Agent')} ${s.bold(escapeLine(a.nickname))}${role} asks: `;
}

/** The question's parts: its title, the preview (scrolled when long), and the facts under it. */
function parts(o: ApprovalOverlay, cwd: string, s: Style): { title: string; preview: string[]; facts: string[] } {
  const q = o.question;
  const waiting = o.waiting > 0 ? ` ${s.dim(`(${o.waiting} more waiting)`)}` : '';
  const who = askedBy(q, s);
  if (q.kind === 'command') {
    const lines = commandText(q.argv).split('\n');
    const facts = [s.dim(`  in ${escapeLine(q.cwd)}`), s.dim(`  why: ${escapeControls(q.reason)}`)];
    if (q.justification) facts.push(s.dim(`  the model says: ${escapeControls(q.justification)}`));
    return {
      title: who + s.bold(q.retryWithoutSandbox ? 'Run this command again without the sandbox?' : 'Allow this command?') + waiting,
      preview: lines.map((l, i) => (i === 0 ? `  ${s.cyan('$')} ${l}` : `    ${l}`)),
      facts,
    };
  }
  if (q.kind === 'mcp_tool') {
    const args = mcpArgsSummary(q.arguments, 200);
    return {
      title: who + s.bold(`Allow the ${escapeLine(q.server)} MCP server to run tool "${escapeLine(q.tool)}"?`) + waiting,
      preview: args === '' ? [] : [`  ${s.dim(args)}`],
      facts: [s.dim(`  why: ${escapeControls(q.reason)}`)],
    };
  }
  const preview: string[] = [];
  for (const ch of q.changes) {
    const movePath = ch.kind === 'update' && ch.movePath !== undefined ? shownPath(ch.movePath, q.cwd) : undefined;
    if (ch.preview) preview.push(...numberedDiff({ path: shownPath(ch.path, q.cwd), kind: ch.kind, movePath, diff: ch.preview.diff }, s).map((l) => `  ${l}`));
    else preview.push(`  ${s.dim(ch.kind === 'add' ? 'A' : ch.kind === 'delete' ? 'D' : 'M')} ${shownPath(ch.path, q.cwd)}`);
  }
  return { title: who + s.bold('Apply these changes?') + waiting, preview, facts: [s.dim(`  why: ${escapeControls(q.reason)}`)] };
}

function answerLines(o: ApprovalOverlay, s: Style): string[] {
  if (o.explaining) {
    return [`Tell the model what to do instead ${s.dim('(enter to send, esc to go back)')}`, `${s.cyan('›')} ${renderEditor(o.explaining, cursor).join(' ')}`];
  }
  return APPROVAL_OPTIONS.map((opt, i) => {
    const label = `${i + 1}. ${opt.label} ${s.dim(`(${opt.key})`)}`;
    return i === o.selected ? `${s.cyan('›')} ${s.bold(label)}` : `  ${label}`;
  });
}

interface Layout {
  title: string;
  preview: string[];
  facts: string[];
  answers: string[];
  /** Rows the preview may take. */
  room: number;
  /** The last useful scroll position (the end of the preview in view). */
  maxScroll: number;
}

function layout(o: ApprovalOverlay, s: Style, cwd: string, maxRows: number, columns: number): Layout {
  const { title, preview, facts } = parts(o, cwd, s);
  const answers = answerLines(o, s);
  const fixed = rowsOf([title, ...facts, '', ...answers].join('\n'), columns);
  const total = preview.reduce((n, l) => n + rowsOf(l, columns), 0);
  // When the preview does not fit, one row goes to the line saying where in it the view is.
  const room = total <= maxRows - fixed ? total : Math.max(3, maxRows - fixed - 1);
  let maxScroll = preview.length;
  for (let rows = 0; maxScroll > 0; maxScroll--) {
    rows += rowsOf(preview[maxScroll - 1] as string, columns);
    if (rows > room) break;
  }
  return { title, preview, facts, answers, room, maxScroll: Math.min(maxScroll, Math.max(0, preview.length - 1)) };
}

/** How far the preview of the open question can scroll (0 when it fits). */
export function approvalScrollMax(o: ApprovalOverlay, s: Style, cwd: string, maxRows: number, columns: number): number {
  return layout(o, s, cwd, maxRows, columns).maxScroll;
}

/** The question, in at most `maxRows` rows when it can be: title, preview, facts, then the answers. */
export function approvalView(o: ApprovalOverlay, s: Style, cwd: string, maxRows: number, columns: number): string {
  const l = layout(o, s, cwd, maxRows, columns);
  const start = Math.min(o.scroll, l.maxScroll);
  const shown: string[] = [];
  let rows = 0;
  for (let i = start; i < l.preview.length; i++) {
    const r = rowsOf(l.preview[i] as string, columns);
    if (rows + r > l.room && shown.length > 0) break;
    shown.push(l.preview[i] as string);
    rows += r;
  }
  const windowed = shown.length < l.preview.length;
  const where = windowed ? [s.dim(`  lines ${start + 1}–${start + shown.length} of ${l.preview.length} · PgUp/PgDn to scroll`)] : [];
  return [l.title, ...shown, ...where, ...l.facts, '', ...l.answers].join('\n');
}
