/**
 * How a review runs, for every front end: the request built from git, the configuration it runs with (a
 * read-only sandbox, the review guidelines as developer instructions), the answer format where the provider
 * takes one with tools, and what a review run in its own thread leaves in the conversation that asked for it.
 */
import type { LoadedConfig, ProviderInfo } from '../../config/index.js';
import { takesStructuredOutput, type JsonObject, type ResponseItem } from '../../providers/index.js';
import { formatReview, parseReviewOutput } from './output.js';
import { REVIEW_GUIDELINES, REVIEW_OUTPUT_SCHEMA } from './prompt.js';
import { prepareReview, type ReviewRequest } from './target.js';
import type { ReviewOutput, ReviewTarget } from './types.js';

export interface PreparedReview {
  request: ReviewRequest;
  /** The config the review runs with: read-only sandbox (unless there is none at all), the guidelines added. */
  loaded: LoadedConfig;
  /** Codex's review JSON, when the provider takes it as a structured-output format with tools. */
  outputSchema: JsonObject | undefined;
  /** What the transcript shows as the user's message. */
  shown: string;
}

/** Builds the review request and the settings it runs with (throws a UserError when there is nothing to review). */
export function prepareReviewRun(loaded: LoadedConfig, provider: ProviderInfo, cwd: string, target: ReviewTarget): PreparedReview {
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

/** The review in an answer (null: the answer is prose) and the answer as people read it. */
export function readReviewAnswer(answer: string, cwd: string): { review: ReviewOutput | null; text: string } {
  const review = parseReviewOutput(answer, cwd);
  return { review, text: review ? formatReview(review, cwd) : answer };
}

/**
 * What a review run in its own thread leaves in the conversation that asked for it: the request, as the
 * user's message, and the review as the assistant's answer (findings as text, not JSON), so the next turn
 * can act on them ("fix the P1").
 */
export function reviewHandoff(request: ReviewRequest, answer: string | null, cwd: string): ResponseItem[] {
  const asked = request.target.type === 'custom' ? `Code review: ${request.prompt}` : `Code review of the ${request.hint}.`;
  const text = answer === null || answer.trim() === '' ? 'The review ended without an answer.' : readReviewAnswer(answer, cwd).text;
  return [
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: asked }] },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] },
  ];
}
