export { resolveHome, ensureHome, configPath, profilePath } from './home.js';
export { loadConfig, withDefaultModel, type LoadOptions, type LoadedConfig, type FlagSetting, type ActiveProfile } from './load.js';
export { parseOverride, parseOverrides, type Override } from './overrides.js';
export { describeSource, type Source } from './provenance.js';
export { resolveProvider, RETRY_DEFAULTS, type ProviderInfo } from './provider.js';
export { builtinProviders, BUILTIN_PROVIDER_IDS, OPENAI_DEFAULT_BASE_URL, type BuiltinProvider } from './builtin-providers.js';
export { describeConfig, formatValue, maskValue, MASK, type ConfigRow } from './describe.js';
export {
  SANDBOX_MODES,
  APPROVAL_POLICIES,
  WIRE_APIS,
  LOCAL_PROVIDERS,
  WEB_SEARCH_MODES,
  type Config,
  type ProviderConfig,
  type McpServerConfig,
  type AgentsConfig,
  type SandboxMode,
  type ApprovalPolicyName,
  type ApprovalPolicySetting,
  type WireApi,
  type LocalProviderId,
  type WebSearchMode,
  type SandboxWorkspaceWrite,
  type ShellEnvironmentPolicy,
} from './schema.js';
export type { TomlValue, TomlTable } from './toml.js';
export { setTomlKeys, removeTomlTable, saveConfigKeys, replaceConfigTable, modelSaveTarget, type TomlEditValue } from './edit.js';
export { webSearchMode, type EffectiveWebSearch } from './web-search.js';
export { configuredModels, type ConfiguredModel } from './models.js';
export { IGNORED_KEYS, ignoredReason, type IgnoredKey } from './ignored.js';
export { describeProject, gitRootForTrust, PROJECT_DENYLIST, type ProjectInfo, type TrustLevel } from './project.js';
export { loadAgentRoles, readAgentRole, type AgentRole } from './agent-roles.js';
export { agentSettings, DEFAULT_MAX_DEPTH, DEFAULT_MAX_THREADS, type AgentSettings } from './agents.js';
export { setProjectTrust } from './trust.js';
export type { UnknownSetting } from './unknown.js';
