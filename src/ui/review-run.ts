/**
 * A code review in the interactive session (`opencodex review`, `/review`). It runs as one turn, in a
 * thread of its own: the review model (`review_model`, else the session's), tools that only look (no
 * apply_patch; commands in a read-only sandbox; no MCP tools, no subagents), the review guidelines as its
 * developer message and Codex's review JSON as the answer format where the provider takes one. Its commands
 * show as a turn's do; its answer is shown as findings grouped by priority (prose stays prose). The
 * conversation then gets the request and the review as a prompt and an answer, and goes on with its own
 * model and tools, so "fix the P1" works.
 */
import {
  addUsage,
  createAgent,
  parseReviewOutput,
  prepareReviewRun,
  reviewHandoff,
  type PreparedReview,
  type ReviewOutput,
  type ReviewTarget,
} from '../agent/index.js';
import { lookupModel, type ResolvedModel } from '../catalog/index.js';
import type { UiController } from './controller.js';
import { formatWorked } from './format.js';
import { formatReviewView } from './review-view.js';
import type { UiEvent } from './transcript.js';

/** The model a review runs on: `review_model`, else the session's. */
export function reviewModel(c: UiController): ResolvedModel {
  const slug = c.config.review_model;
  return slug === undefined || slug === c.session.model.requested ? c.session.model : lookupModel(c.settings.catalog, slug, c.config);
}

/** Builds the review (throws a UserError when there is nothing to review) and runs it as the next turn. */
export async function startReview(c: UiController, target: ReviewTarget): Promise<void> {
  if (c.running) {
    c.notice('a review cannot start while a turn is running; press Esc to interrupt it first');
    return;
  }
  const prepared = prepareReviewRun({ ...c.settings.loaded, config: { ...c.config } }, c.settings.provider, c.settings.cwd, target);
  c.user(prepared.shown);
  const model = reviewModel(c);
  if (model.requested !== c.session.model.requested) c.notice(`reviewing with ${model.requested} (review_model)`);
  c.markUsed();
  await c.runTask((run) => reviewTurn(c, prepared, run));
}

async function reviewTurn(c: UiController, prepared: PreparedReview, run: { signal: AbortSignal; emit: (event: UiEvent) => void }): Promise<void> {
  const cwd = c.settings.cwd;
  const model = reviewModel(c);
  const config = prepared.loaded.config;
  // The reviewer works alone: helpers it spawned would get the session's tools, which can write.
  const loaded = { ...prepared.loaded, config: { ...config, model: model.requested, features: { ...config.features, multi_agent: false } } };
  const child = createAgent({
    loaded,
    catalog: c.settings.catalog,
    model,
    provider: c.settings.provider,
    cwd,
    addDirs: c.settings.addDirs,
    approvalPolicy: c.settings.approvalPolicy,
    approver: c,
    exec: false,
    env: c.env,
    readOnlyTools: true,
  });
  const began = c.now();
  let review: ReviewOutput | null = null;
  const emit = (event: UiEvent): void => {
    // Answers are shown whole once read: review JSON is not streamed onto the screen.
    if (event.type === 'agent_message.delta' || event.type === 'thread.started') return;
    if (event.type === 'item.completed' && event.item.type === 'agent_message') {
      const found = parseReviewOutput(event.item.text, cwd);
      if (found) {
        review = found;
        return;
      }
    }
    run.emit(event);
  };
  try {
    const outcome = await child.session.runTurn({ text: prepared.request.prompt }, { signal: run.signal, emit, outputSchema: prepared.outputSchema });
    if (outcome.status === 'interrupted') c.finishTurn(true);
    else if (outcome.status === 'completed') {
      const found = review as ReviewOutput | null;
      if (found) c.print(formatReviewView(found, prepared.request.hint, cwd, c.style));
      c.print(formatWorked(c.now() - began, c.style));
      c.session.appendExchange(reviewHandoff(prepared.request, outcome.lastMessage, cwd));
    }
  } catch (err) {
    // What still runs or streams is printed as it stands; the error follows it.
    c.finishTurn();
    throw err;
  } finally {
    child.execSessions.terminateAll();
    c.session.usage = addUsage(c.session.usage, child.session.usage);
  }
}
