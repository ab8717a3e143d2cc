/** apply_patch: the patch format's parser, fuzzy context seeking, applying to disk, the tool and shell interception. */
export { parsePatch, PatchParseError, type Hunk, type UpdateChunk, type ParsedPatch } from './parser.js';
export { seekSequence, normalizeLine } from './seek.js';
export { applyChunks, PatchApplyError } from './compute.js';
export { planPatch, writePlan, fileChanges, summary, type PatchPlan, type PlannedChange } from './apply.js';
export { unifiedDiff } from './diff.js';
export { APPLY_PATCH_LARK_GRAMMAR, FREEFORM_DESCRIPTION, FUNCTION_DESCRIPTION } from './grammar.js';
export { detectPatchInvocation, extractHeredocPatch, IMPLICIT_INVOCATION_MESSAGE, type PatchInvocation } from './intercept.js';
export {
  ApplyPatchTool,
  PatchRunner,
  patchInterceptor,
  patchExecResult,
  VERIFICATION_FAILED,
  type ApplyPatchStyle,
  type ApplyPatchToolOptions,
  type PatchRun,
} from './tool.js';
