/**
 * `opencodex exec review`: one exec turn whose prompt is a review request (agent/review builds it from git),
 * run with tools that only look (no apply_patch; commands in a read-only sandbox), the review guidelines as a
 * developer message, and Codex's review JSON as the answer's structured-output format where the provider
 * takes one alongside tools. What the model answers is read leniently; a review is printed grouped by
 * priority (`--json`: a `review.completed` line after the events); an answer without review JSON stays prose.
 */
import { prepareReviewRun, readReviewAnswer, type PreparedReview, type ReviewOutput, type ReviewRequest, type ReviewTarget } from '../agent/index.js';
import type { LoadedConfig, ProviderInfo } from '../config/index.js';
import { escapeControls } from '../shared/index.js';

export type { PreparedReview };

/** Builds the review request and the settings it runs with (throws a UserError when there is nothing to review). */
export function prepareExecReview(loaded: LoadedConfig, provider: ProviderInfo, cwd: string, target: ReviewTarget): PreparedReview {
  return prepareReviewRun(loaded, provider, cwd, target);
}

/** The `--json` line that ends a review: the target, the review as data (null when the answer was prose) and the answer. */
export function reviewJsonLine(threadId: string, request: ReviewRequest, review: ReviewOutput | null, text: string | null): string {
  return JSON.stringify({ type: 'review.completed', thread_id: threadId, target: request.target, hint: request.hint, review, text });
}

/** The review for stdout: grouped findings when the answer held review JSON, else the answer as written. */
export function reviewText(answer: string | null, cwd: string, stdoutIsTerminal: boolean): { review: ReviewOutput | null; text: string } {
  if (answer === null) return { review: null, text: '' };
  const { review, text } = readReviewAnswer(answer, cwd);
  return { review, text: stdoutIsTerminal ? escapeControls(text) : text };
}
