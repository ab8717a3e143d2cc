export type {
  Catalog,
  ModelEntry,
  ModelFacts,
  ModelStatus,
  ReasoningEffort,
  ReasoningSummary,
  Verbosity,
  InputModality,
  ResolvedModel,
  LookupMatch,
  Surfaces,
  Price,
  TruncationPolicy,
  Tri,
} from './types.js';
export { REASONING_EFFORTS, REASONING_SUMMARIES, VERBOSITIES, MODEL_STATUSES, SURFACE_LABELS } from './types.js';
export { SHIPPED_CATALOG } from './data.js';
export { lookupModel, findEntry, successorChain, retirementNotice, unknownModelNotice } from './lookup.js';
export { factsOf, withOverrides, FALLBACK_FACTS, type FactOverrides } from './facts.js';
export { loadCatalog } from './load.js';
