/**
 * The sandbox layer: policies (read-only, workspace-write, danger-full-access), their enforcement with
 * bubblewrap on Linux, the environment children get, patch confinement, and approvals.
 */
export {
  sandboxPolicyFor,
  sandboxPolicyFromConfig,
  writableRoots,
  protectedPaths,
  hasNetwork,
  needsSandbox,
  describePolicy,
  PROTECTED_NAMES,
  type SandboxPolicy,
  type WritableRoot,
  type ProtectedPath,
  type PolicyFromConfig,
} from './policy.js';
export { applyEnvPolicy, sandboxMarkers, globMatcher, CORE_ENV_VARS, DEFAULT_ENV_EXCLUDES, type ChildEnv } from './env.js';
export { detectBwrap, checkRecalledSandbox, findBwrap, bwrapArgs, SandboxUnavailableError, BWRAP_INSTALL_HINT, type Bwrap, type BwrapStatus } from './bwrap.js';
export { planSpawn, startPlan, resolveProgram, ProgramNotFoundError, type SpawnRequest, type SpawnPlan, type Started } from './spawn.js';
export {
  runCommand,
  shellScriptArgv,
  isLikelySandboxDenial,
  clampTimeout,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  DEFAULT_OUTPUT_CAP_BYTES,
  TIMEOUT_EXIT_CODE,
  type RunRequest,
  type ExecResult,
  type OutputChunk,
  type OutputStream,
} from './runner.js';
export { Capture, type OutputTotals, type Captured } from './capture.js';
export { startLiveProcess, LiveProcess, type LiveRequest, type LiveExit } from './live-process.js';
export { setProbeCacheFile } from './probe-cache.js';
export { detectPty, onTerminal, PTY_ROWS, PTY_COLS, type PtySupport } from './pty.js';
export { networkFilter, networkFilterSupported } from './seccomp.js';
export { isMountPoint } from './mount-points.js';
export { checkPatchPaths, resolveWritePath, type FileChange, type PatchCheck, type PathVerdict } from './patch-safety.js';
export { isKnownSafeCommand, commandMightBeDangerous } from './command-safety.js';
export {
  decideCommand,
  decidePatch,
  afterSandboxDenial,
  execApprovalPolicy,
  basePolicy,
  policyForChoice,
  type CommandRequest,
  type CommandDecision,
  type PatchDecision,
  type SandboxChoice,
  type SandboxPermissions,
} from './approval-policy.js';
export {
  ApprovalSession,
  nonInteractiveApprover,
  COMMAND_REJECTED,
  PATCH_REJECTED,
  MCP_TOOL_REJECTED,
  type Approver,
  type ApprovalAnswer,
  type ApprovalReply,
  type ApprovalQuestion,
  type ChangeDiff,
  type ApprovalSessionOptions,
  type CommandAuthorization,
  type RetryAuthorization,
  type PatchAuthorization,
  type ToolCallAuthorization,
  type McpToolRequest,
} from './approval-session.js';
