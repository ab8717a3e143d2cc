/** The interactive terminal UI (`opencodex [PROMPT]`, `opencodex resume`). Loaded only when it runs. */
export { runInteractive, interactiveApprovalPolicy, type InteractiveContext, type InteractiveOptions } from './run.js';
export { askTrust, needsTrustQuestion, type TrustAnswer } from './trust.js';
