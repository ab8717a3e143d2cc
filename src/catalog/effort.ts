/**
 * The reasoning effort a request carries. What the user asked for is sent as asked, unless the catalog
 * says the model does not take it: then the nearest effort it takes at or below the one asked for (never a
 * more expensive one), or, when it takes nothing that low, its lowest; one line says so.
 */
import { REASONING_EFFORTS, type ModelFacts, type ReasoningEffort } from './types.js';

export interface EffortChoice {
  /** What is sent; undefined sends no effort. */
  effort: ReasoningEffort | undefined;
  /** One line for the user when the effort asked for is not what is sent, else null. */
  note: string | null;
}

const rank = (e: ReasoningEffort): number => REASONING_EFFORTS.indexOf(e);

export function isReasoningEffort(value: unknown): value is ReasoningEffort {
  return typeof value === 'string' && (REASONING_EFFORTS as readonly string[]).includes(value);
}

/**
 * The effort to send to `model` when the user asked for `asked` (undefined: nothing configured, so the
 * model's default, if it has one).
 */
export function chooseEffort(
  model: { requested: string; facts: Pick<ModelFacts, 'reasoningEfforts' | 'defaultReasoningEffort'> },
  asked: ReasoningEffort | undefined,
): EffortChoice {
  const efforts = model.facts.reasoningEfforts;
  if (asked === undefined) return { effort: model.facts.defaultReasoningEffort ?? undefined, note: null };
  if (efforts === null || efforts.includes(asked)) return { effort: asked, note: null };
  const what = `model ${model.requested} does not take reasoning effort "${asked}"`;
  if (efforts.length === 0) {
    return { effort: undefined, note: `${what} (the catalog lists none for it); no effort is sent` };
  }
  const sorted = [...efforts].sort((a, b) => rank(a) - rank(b));
  const below = sorted.filter((e) => rank(e) <= rank(asked));
  const nearestBelow = below[below.length - 1];
  if (nearestBelow !== undefined) {
    return { effort: nearestBelow, note: `${what}; using "${nearestBelow}", the nearest it takes below it (it takes ${sorted.join(', ')})` };
  }
  const lowest = sorted[0] as ReasoningEffort;
  return { effort: lowest, note: `${what}; using "${lowest}", the lowest it takes (it takes ${sorted.join(', ')})` };
}
