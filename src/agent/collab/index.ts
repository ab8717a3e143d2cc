/** Subagents: the tools the model delegates with, the manager running children, and their setup. */
export { SubagentManager, CollabError, DEFAULT_WAIT_MS, MAX_WAIT_MS, waitTimeout, type ChildFactory, type ChildRuntime, type ChildSpec, type CollabOwner } from './manager.js';
export { collabTools, COLLAB_NAMESPACE, type CollabCaller } from './tools.js';
export { childFactory, childSandbox, recordCollab, type ChildFactoryDeps } from './child.js';
export { restoreSubagents } from './restore.js';
export { roleBook, rolesText, DEFAULT_ROLE, type Role } from './roles.js';
export { chooseChildModel, modelChoices, type ChildModel, type ModelChoiceContext, type ParentModel } from './model-choice.js';
export { isFinal, statusName } from './status.js';
