export { BASE_INSTRUCTIONS } from './prompt/base-instructions.js';
export { discoverAgentsMd, findProjectRoot, type AgentsMdOptions, type AgentsMdResult } from './prompt/agents-md.js';
export { permissionsText, type PermissionsContext } from './prompt/permissions.js';
export { environmentContext, environmentContextText, agentsMdText, type EnvironmentContext } from './prompt/environment.js';
export * from './events.js';
