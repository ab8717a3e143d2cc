/**
 * A code review run as a thread's turn (the app server's `review/start`), the way the interactive UI runs
 * `/review`: a read-only agent of its own (the review model, tools that only look, no subagents, the review
 * guidelines, Codex's review JSON as the answer format where the provider takes one), whose commands and
 * reasoning show as the turn's items. Its answer is read as findings and told to the front ends as the
 * review's text; the thread then gets the request and that text as one exchange, so its next turn can act
 * on the findings ("fix the P1").
 */
import {
  addUsage,
  createAgent,
  readReviewAnswer,
  reviewHandoff,
  type AgentEvent,
  type AgentSession,
  type FrontEndContext,
  type PreparedReview,
  type ReviewOutput,
  type ThreadItem,
  type TurnOutcome,
} from '../agent/index.js';
import { lookupModel, type ResolvedModel } from '../catalog/index.js';
import type { ApprovalPolicySetting } from '../config/index.js';
import type { Approver } from '../sandbox/index.js';

export interface ReviewRunContext {
  settings: FrontEndContext;
  /** The thread's session: it gets the exchange and the review's usage. */
  session: AgentSession;
  approvalPolicy: ApprovalPolicySetting;
  approver: Approver;
  env: NodeJS.ProcessEnv;
}

/** What the review ended with: its text (findings formatted, or the prose answer, or why there is none). */
export interface ReviewEnd {
  text: string;
  review: ReviewOutput | null;
}

/** The model a review runs on: `review_model`, else the thread's. */
export function reviewModelFor(settings: FrontEndContext, current: ResolvedModel): ResolvedModel {
  const slug = settings.loaded.config.review_model;
  return slug === undefined || slug === current.requested ? current : lookupModel(settings.catalog, slug, settings.loaded.config);
}

/**
 * Runs the review; `ended` is told its text before the outcome is returned (on every outcome, so a front end
 * can close what it opened). The answer is not streamed: answers in between (a preamble before a command)
 * pass as they are, the last one is the review.
 */
export async function runReview(
  ctx: ReviewRunContext,
  prepared: PreparedReview,
  run: { signal: AbortSignal; turnId: string; emit: (event: AgentEvent) => void },
  ended: (end: ReviewEnd) => void,
): Promise<TurnOutcome> {
  const cwd = ctx.settings.cwd;
  const model = reviewModelFor(ctx.settings, ctx.session.model);
  const config = prepared.loaded.config;
  // The reviewer works alone: helpers it spawned would get the session's tools, which can write.
  const loaded = { ...prepared.loaded, config: { ...config, model: model.requested, features: { ...config.features, multi_agent: false } } };
  const reviewer = createAgent({
    loaded,
    catalog: ctx.settings.catalog,
    model,
    provider: ctx.settings.provider,
    cwd,
    addDirs: ctx.settings.addDirs,
    approvalPolicy: ctx.approvalPolicy,
    approver: ctx.approver,
    exec: false,
    env: ctx.env,
    readOnlyTools: true,
  });
  let held: ThreadItem | null = null;
  const flush = (): void => {
    if (held) run.emit({ type: 'item.completed', item: held });
    held = null;
  };
  const emit = (event: AgentEvent): void => {
    if (event.type === 'agent_message.delta' || event.type === 'thread.started') return;
    if (event.type === 'item.completed' && event.item.type === 'agent_message') {
      flush();
      held = event.item;
      return;
    }
    if (event.type === 'item.started') flush();
    run.emit(event);
  };
  let outcome: TurnOutcome;
  try {
    outcome = await reviewer.session.runTurn({ text: prepared.request.prompt }, { signal: run.signal, emit, outputSchema: prepared.outputSchema, turnId: run.turnId });
  } catch (err) {
    ended({ text: `The review failed: ${err instanceof Error ? err.message : String(err)}`, review: null });
    throw err;
  } finally {
    reviewer.execSessions.terminateAll();
    ctx.session.usage = addUsage(ctx.session.usage, reviewer.session.usage);
  }
  if (outcome.status === 'completed') {
    const answer = outcome.lastMessage;
    const read = answer === null || answer.trim() === '' ? { review: null, text: 'The review ended without an answer.' } : readReviewAnswer(answer, cwd);
    ended(read);
    ctx.session.appendExchange(reviewHandoff(prepared.request, answer, cwd));
    return { status: 'completed', lastMessage: read.text };
  }
  flush();
  ended({ text: outcome.status === 'interrupted' ? 'The review was interrupted.' : `The review failed: ${outcome.message}`, review: null });
  return outcome;
}
