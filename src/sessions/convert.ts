/**
 * Carrying a thread's history over to another model or provider on resume. Items written while the same
 * provider and model were in use are replayed untouched (byte for byte); items from another pair are
 * converted by these rules:
 *
 *   1. Reasoning items are dropped: their encrypted content can only be read by the model that wrote it,
 *      and their summaries were written for the user, not as conversation.
 *   2. Tool-call ids that the new provider may refuse (anything but `[A-Za-z0-9_-]`, or longer than 40
 *      characters, the strictest limit among Chat servers) are replaced by `call_<hash>`, the same for
 *      a call and its output.
 *   3. Responses `phase` markers on assistant messages (an OpenAI extension) are removed.
 *   4. Freeform (custom) tool calls become function calls with an `{"input": …}` argument when the new
 *      model takes apply_patch as a function.
 *   5. For a model that takes text only, every image (in prompts and tool outputs) is replaced by a
 *      short text note, and the caller is told how many.
 *   6. Hosted web searches (`web_search_call` items) are dropped when the new provider does not take them
 *      (`supports_web_search`, and never over Chat Completions), whoever wrote them.
 */
import { hashHex } from '../shared/index.js';
import type { ResolvedModel } from '../catalog/index.js';
import type { ContentPart, InputImage, InputText, ResponseItem, ToolOutput } from '../providers/index.js';
import type { ItemOrigin } from './types.js';

export interface HistoryTarget {
  provider: string;
  model: ResolvedModel;
  /** The provider takes hosted web search items (default true). */
  webSearch?: boolean;
}

export interface CarriedHistory {
  history: ResponseItem[];
  /** One line per rule that changed something, for the user. */
  notes: string[];
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,40}$/;

function safeId(id: string): string {
  return `call_${hashHex('sha256', id).slice(0, 24)}`;
}

const sameOrigin = (o: ItemOrigin | undefined, t: HistoryTarget): boolean =>
  o === undefined || o.model === '' || (o.provider === t.provider && o.model === t.model.requested);

export function carryHistory(items: readonly ResponseItem[], origins: readonly ItemOrigin[], target: HistoryTarget): CarriedHistory {
  const textOnly = !target.model.facts.inputModalities.includes('image');
  const patchAsFunction = target.model.facts.applyPatchToolType === 'function';
  const imageNote: InputText = { type: 'input_text', text: `[image omitted: ${target.model.requested} takes text only]` };
  let reasoning = 0;
  let images = 0;
  let customs = 0;
  let searches = 0;
  const renamed = new Map<string, string>();

  // Ids to rename: those of foreign items that the new provider may refuse.
  items.forEach((item, i) => {
    if (sameOrigin(origins[i], target)) return;
    if ('call_id' in item && !SAFE_ID.test(item.call_id) && !renamed.has(item.call_id)) renamed.set(item.call_id, safeId(item.call_id));
  });
  const id = (callId: string): string => renamed.get(callId) ?? callId;

  const stripImages = <T extends ContentPart | InputText | InputImage>(parts: T[]): Array<T | InputText> => {
    if (!textOnly || !parts.some((p) => p.type === 'input_image')) return parts;
    return parts.map((p) => {
      if (p.type !== 'input_image') return p;
      images++;
      return imageNote;
    });
  };
  const output = (o: ToolOutput): ToolOutput => (typeof o === 'string' ? o : (stripImages(o) as ToolOutput));

  const history: ResponseItem[] = [];
  items.forEach((item, i) => {
    const foreign = !sameOrigin(origins[i], target);
    switch (item.type) {
      case 'reasoning':
        if (foreign) reasoning++;
        else history.push(item);
        return;
      case 'message': {
        const content = stripImages(item.content) as ContentPart[];
        if (content === item.content && !(foreign && item.phase !== undefined)) {
          history.push(item);
          return;
        }
        const { phase, ...rest } = item;
        history.push({ ...rest, content, ...(phase !== undefined && !foreign ? { phase } : {}) });
        return;
      }
      case 'function_call':
        history.push(renamed.has(item.call_id) ? { ...item, call_id: id(item.call_id) } : item);
        return;
      case 'custom_tool_call':
        if (foreign && patchAsFunction) {
          customs++;
          history.push({ type: 'function_call', call_id: id(item.call_id), name: item.name, arguments: JSON.stringify({ input: item.input }) });
        } else {
          history.push(renamed.has(item.call_id) ? { ...item, call_id: id(item.call_id) } : item);
        }
        return;
      case 'function_call_output':
      case 'custom_tool_call_output': {
        const type = item.type === 'custom_tool_call_output' && foreign && patchAsFunction ? 'function_call_output' : item.type;
        const out = output(item.output);
        if (type === item.type && out === item.output && !renamed.has(item.call_id)) history.push(item);
        else history.push({ type, call_id: id(item.call_id), output: out });
        return;
      }
      case 'web_search_call':
        if (target.webSearch === false) searches++;
        else history.push(item);
        return;
    }
  });

  const notes: string[] = [];
  const to = `${target.model.requested} (${target.provider})`;
  if (reasoning > 0) notes.push(`${reasoning} reasoning item${reasoning === 1 ? '' : 's'} from another model or provider left out of the history sent to ${to}`);
  if (renamed.size > 0) notes.push(`${renamed.size} tool call id${renamed.size === 1 ? '' : 's'} renamed to ids ${target.provider} accepts`);
  if (customs > 0) notes.push(`${customs} freeform tool call${customs === 1 ? '' : 's'} replayed as function calls for ${target.model.requested}`);
  if (searches > 0) notes.push(`${searches} web search${searches === 1 ? '' : 'es'} left out of the history: ${target.provider} has no web search`);
  if (images > 0) notes.push(`${images} image${images === 1 ? '' : 's'} in the history replaced by a note: ${target.model.requested} takes text only`);
  return { history, notes };
}
