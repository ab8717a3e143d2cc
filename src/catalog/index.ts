export type {
  Catalog,
  CatalogOrigin,
  DefaultFrom,
  ModelEntry,
  ModelFacts,
  ModelStatus,
  ReasoningEffort,
  ReasoningSummary,
  Verbosity,
  InputModality,
  ResolvedModel,
  LookupMatch,
  ShellType,
  Surfaces,
  Price,
  TruncationPolicy,
  Tri,
} from './types.js';
export { REASONING_EFFORTS, REASONING_SUMMARIES, VERBOSITIES, MODEL_STATUSES, SURFACE_LABELS } from './types.js';
export { SHIPPED_CATALOG } from './data.js';
export { lookupModel, findEntry, successorChain, retirementNotice, unknownModelNotice, aliasCandidates } from './lookup.js';
export { factsOf, withOverrides, FALLBACK_FACTS, type FactOverrides } from './facts.js';
export { chooseEffort, isReasoningEffort, type EffortChoice } from './effort.js';
export { estimateCost, type TokenCounts } from './price.js';
export { smallModelFor } from './helpers.js';
export { loadCatalog, catalogCachePath, storeFetchedCatalog, type CatalogSources } from './load.js';
