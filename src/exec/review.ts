/**
 * `opencodex exec review`: one exec turn whose prompt is a review request (agent/review builds it from git),
 * run with tools that only look (no apply_patch; commands in a read-only sandbox), the review guidelines as a
 * developer message, and Codex's review JSON as the answer's structured-output format where the provider
 * takes one alongside tools. What the model answers is read leniently; a review is printed grouped by
 * priority (`--json`: a `review.completed` line after the events); an answer without review JSON stays prose.
 */
import { formatReview, parseReviewOutput, prepareReview, REVIEW_GUIDELINES, REVIEW_OUTPUT_SCHEMA, type ReviewOutput, type ReviewRequest, type ReviewTarget } from '../agent/index.js';
import type { LoadedConfig, ProviderInfo } from '../config/index.js';
import { takesStructuredOutput, type JsonObject } from '../providers/index.js';
import { escapeControls } from '../shared/index.js';

export interface PreparedReview {
  request: ReviewRequest;
  /** The config the review runs with: read-only sandbox (unless there is none at all), the guidelines added. */
  loaded: LoadedConfig;
  /** Codex's review JSON, when the provider takes it as a structured-output format with tools. */
  outputSchema: JsonObject | undefined;
  /** What the banner shows as the user's message. */
  shown: string;
}

/** Builds the review request and the settings it runs with (throws a UserError when there is nothing to review). */
export function prepareExecReview(loaded: LoadedConfig, provider: ProviderInfo, cwd: string, target: ReviewTarget): PreparedReview {
  const request = prepareReview(cwd, target);
  const config = loaded.config;
  const developer = [REVIEW_GUIDELINES, config.developer_instructions].filter((t): t is string => t !== undefined && t.trim() !== '').join('\n\n');
  const reviewLoaded: LoadedConfig = {
    ...loaded,
    config: {
      ...config,
      // A review only looks. With no sandbox at all (--dangerously-bypass-approvals-and-sandbox: an outer one
      // is assumed) there is nothing to narrow; apply_patch is left out either way.
      sandbox_mode: config.sandbox_mode === 'danger-full-access' ? 'danger-full-access' : 'read-only',
      developer_instructions: developer,
    },
  };
  const files = request.files.length;
  const scope = target.type === 'custom' ? request.prompt : `Review ${request.hint}${files > 0 ? ` (${files} file${files === 1 ? '' : 's'}${request.diffIncluded ? '' : '; the diff is read with tools'})` : ''}`;
  return { request, loaded: reviewLoaded, outputSchema: takesStructuredOutput(provider) ? REVIEW_OUTPUT_SCHEMA : undefined, shown: scope };
}

/** The `--json` line that ends a review: the target, the review as data (null when the answer was prose) and the answer. */
export function reviewJsonLine(threadId: string, request: ReviewRequest, review: ReviewOutput | null, text: string | null): string {
  return JSON.stringify({ type: 'review.completed', thread_id: threadId, target: request.target, hint: request.hint, review, text });
}

/** The review for stdout: grouped findings when the answer held review JSON, else the answer as written. */
export function reviewText(answer: string | null, cwd: string, stdoutIsTerminal: boolean): { review: ReviewOutput | null; text: string } {
  if (answer === null) return { review: null, text: '' };
  const review = parseReviewOutput(answer, cwd);
  const text = review ? formatReview(review, cwd) : answer;
  return { review, text: stdoutIsTerminal ? escapeControls(text) : text };
}
