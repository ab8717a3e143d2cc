/**
 * The footer's and `/status`'s token figures, kept up to date as the agent reports them: the thread's
 * usage after each model response (not only at the end of a turn), and how full the context is, from
 * the last response's input + output tokens as Codex counts it. Before the first response of a resumed
 * thread the rollout's last `token_count` stands in; without one (or right after a compaction) the
 * context size is an estimate from the history.
 */
import { ZERO_USAGE, type Usage } from '../agent/index.js';
import type { TokenUsage } from '../sessions/index.js';
import { estimateContextTokens } from './status.js';
import type { UiEvent } from './transcript.js';

export class UsageMeter {
  /** The thread's cumulative usage. */
  usage: Usage = ZERO_USAGE;
  /** Tokens the conversation takes in the context window now. */
  contextTokens = 0;
  /** `contextTokens` is an estimate from the history, not a figure the model reported. */
  estimated = false;

  /** A new conversation: nothing used yet. */
  reset(): void {
    this.usage = ZERO_USAGE;
    this.contextTokens = 0;
    this.estimated = false;
  }

  /** A resumed thread: its usage, and its last response's usage when no compaction came after it. */
  restore(usage: Usage, last: TokenUsage | undefined, history: readonly unknown[]): void {
    this.usage = usage;
    if (last) {
      this.contextTokens = last.input_tokens + last.output_tokens;
      this.estimated = false;
    } else {
      this.contextTokens = estimateContextTokens(history);
      this.estimated = history.length > 0;
    }
  }

  /** Takes what an agent event says about usage; true when a figure changed. */
  handle(event: UiEvent): boolean {
    if (event.type === 'usage.updated') {
      this.usage = event.total;
      this.contextTokens = event.last.input_tokens + event.last.output_tokens;
      this.estimated = false;
      return true;
    }
    if (event.type === 'context.compacted') {
      // The summary replaced the history; the next response will say how large it really is.
      this.contextTokens = event.tokens_after;
      this.estimated = true;
      return true;
    }
    return false;
  }

  /** A turn or compaction ended: the session's total is authoritative; an estimate follows the history. */
  settle(usage: Usage, history: readonly unknown[]): void {
    this.usage = usage;
    if (this.estimated) this.contextTokens = estimateContextTokens(history);
  }
}
