/**
 * A recorded thread as the transcript shows it when it is resumed: the user's prompts, the answers, the
 * reasoning, and one line per tool call (commands by their text, patches by their files).
 */
import type { ResponseItem } from '../providers/index.js';
import { isUserPrompt } from '../sessions/index.js';
import { displayCommand, formatAnswer, formatReasoning, formatUser } from './format.js';
import type { Style } from './style.js';

function callLine(name: string, input: string, s: Style): string {
  let args: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(input);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } catch {
    // freeform input (apply_patch)
  }
  if (name === 'apply_patch') {
    const patch = typeof args.input === 'string' ? args.input : input;
    const files = [...patch.matchAll(/^\*\*\* (Add|Update|Delete) File: (.+)$/gm)].map((m) => m[2]);
    return `${s.green('✓')} Edited ${files.length ? files.join(', ') : 'files'}`;
  }
  if (name === 'update_plan') return s.dim('• Updated the plan');
  const cmd = typeof args.command === 'string' ? args.command : Array.isArray(args.command) ? args.command.join(' ') : null;
  return cmd !== null ? `${s.dim('•')} Ran ${s.bold(displayCommand(cmd))}` : `${s.dim('•')} Called ${name}`;
}

export function replayEntries(history: readonly ResponseItem[], s: Style): string[] {
  const out: string[] = [];
  for (const item of history) {
    if (item.type === 'message') {
      const text = item.content.map((p) => (p.type === 'input_image' ? '' : p.text)).join('');
      if (item.role === 'user' && isUserPrompt(item)) out.push(formatUser(text, [], s));
      else if (item.role === 'assistant' && text.trim() !== '') out.push(formatAnswer(text, s));
    } else if (item.type === 'reasoning') {
      const text = item.summary.map((p) => p.text).join('\n');
      if (text.trim() !== '') out.push(formatReasoning(text, s));
    } else if (item.type === 'function_call') {
      out.push(callLine(item.name, item.arguments, s));
    } else if (item.type === 'custom_tool_call') {
      out.push(callLine(item.name, item.input, s));
    }
  }
  return out;
}
