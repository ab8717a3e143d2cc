export { BASE_INSTRUCTIONS } from './prompt/base-instructions.js';
export { discoverAgentsMd, type AgentsMdOptions, type AgentsMdResult } from './prompt/agents-md.js';
export { permissionsText, type PermissionsContext } from './prompt/permissions.js';
export { environmentContext, environmentContextText, agentsMdText, type EnvironmentContext } from './prompt/environment.js';
export * from './events.js';
export { AgentSession, type RunControl, type SessionOptions, type UserInput } from './session.js';
export { runTurn, type CompactStep, type TurnOutcome, type TurnSetup, type TurnState, type ModelStream } from './turn.js';
export {
  approxTokens,
  autoCompactLimit,
  compactedHistory,
  isCompactionSummary,
  keptPrompts,
  summaryMessageText,
  truncateMiddle,
  KEPT_PROMPT_TOKENS,
  type CompactOutcome,
  type CompactTrigger,
} from './compact.js';
export { COMPACT_PROMPT, SUMMARY_PREFIX } from './prompt/compact.js';
export { loadImage, imageMime } from './images.js';
export { createTools, ExecSessions, type ToolSet, type ToolSetOptions } from './tools/index.js';
export type { ToolHandler, ToolCall, ToolContext, ToolResult, ClientFiles } from './tool-types.js';
export { createAgent, modelBinding, permissionsFor, type Agent, type AgentSetupOptions, type FrontEndContext } from './setup.js';
export { runUserShellCommand, userShellRecord, USER_SHELL_OPEN, USER_SHELL_TIMEOUT_MS, type UserShellRequest, type UserShellOutcome } from './user-shell.js';
export type { ReviewTarget, ReviewFinding, ReviewOutput, ReviewPriority } from './review/types.js';
export { prepareReview, INLINE_DIFF_BYTES, type ReviewRequest, type ChangedFile } from './review/target.js';
export { REVIEW_GUIDELINES, REVIEW_OUTPUT_SCHEMA } from './review/prompt.js';
export { parseReviewOutput, formatReview, findingPlace } from './review/output.js';
export { prepareReviewRun, readReviewAnswer, reviewHandoff, type PreparedReview } from './review/setup.js';
export type { SubagentManager } from './collab/index.js';
