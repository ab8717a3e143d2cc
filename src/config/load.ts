/**
 * Loading the effective configuration. Layers, lowest first (Codex 0.169 as observed, project layers as
 * Codex 0.171): built-in defaults < config.toml < active profile < a trusted project's config files (root
 * down to the cwd, project.ts) < `-c` overrides < dedicated flags (`-m`, `-s`, `--oss`, …).
 * The active profile is `-p NAME`, else a `profile` key; it is `<home>/NAME.config.toml`, or a legacy
 * `[profiles.NAME]` table in config.toml (accepted with a note; Codex now rejects those).
 * Keys opencodex does not know are left out with one warning (unknown.ts); `strictConfig` makes them an error.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { ConfigError, UsageError } from '../shared/index.js';
import { BUILTIN_PROVIDER_IDS, builtinProviders } from './builtin-providers.js';
import { configPath, profilePath } from './home.js';
import { invalidConfig } from './issues.js';
import { parseOverrides } from './overrides.js';
import { describeProject, projectNotes, readProjectLayers, type ProjectInfo } from './project.js';
import { describeSource, layerFor, mergeLayer, Provenance, type Source } from './provenance.js';
import { configSchema, LOCAL_PROVIDERS, type Config, type LocalProviderId } from './schema.js';
import { isTable, readTomlFile, type TomlTable, type TomlValue } from './toml.js';
import { takeUnknownKeys, unknownKeysError, unknownKeysWarning, type UnknownSetting } from './unknown.js';

/** A value set by a dedicated command-line flag. */
export interface FlagSetting {
  path: string[];
  value: TomlValue;
  /** The flag as the user wrote it, e.g. `--model`. */
  flag: string;
}

export interface LoadOptions {
  home: string;
  /** Raw `-c key=value` strings, in order. */
  overrides?: readonly string[];
  /** `-p/--profile`. */
  profile?: string | undefined;
  flags?: readonly FlagSetting[];
  /** `--oss`, with `--local-provider` when given. */
  oss?: { provider?: LocalProviderId | undefined } | undefined;
  /** Skip `<home>/config.toml` (exec's `--ignore-user-config`). */
  ignoreUserConfig?: boolean;
  /** The working directory: its project's trust and config files count. Without it, no project is looked at. */
  cwd?: string;
  /** `--strict-config`: an unknown key is an error instead of a warning. */
  strictConfig?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface ActiveProfile {
  name: string;
  path: string;
  legacy: boolean;
}

export interface LoadedConfig {
  home: string;
  configFile: string;
  config: Config;
  sources: Provenance;
  profile: ActiveProfile | null;
  /** The cwd's project (when a cwd was given): its trust and its config files. */
  project: ProjectInfo | null;
  /** Keys opencodex does not know, left out of `config`. */
  unknown: UnknownSetting[];
  /** One-line messages for stderr, each worth telling the user once. */
  warnings: string[];
}

const PATH_KEYS = ['model_catalog_json', 'model_instructions_file', 'experimental_compact_prompt_file'] as const;

const DEFAULTS: TomlTable = {
  model_provider: 'openai',
  approval_policy: 'on-request',
  sandbox_mode: 'read-only',
  sandbox_workspace_write: { writable_roots: [], network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
  shell_environment_policy: { inherit: 'all', ignore_default_excludes: true },
  allow_login_shell: true,
  project_doc_max_bytes: 32768,
  project_doc_fallback_filenames: [],
  project_root_markers: ['.git'],
  history: { persistence: 'save-all' },
  hide_agent_reasoning: false,
  show_raw_agent_reasoning: false,
  include_permissions_instructions: true,
  include_environment_context: true,
  web_search: 'cached',
};

function listProfiles(home: string, legacy: TomlTable | undefined): string[] {
  const names = new Set<string>(legacy ? Object.keys(legacy) : []);
  try {
    for (const f of readdirSync(home)) if (f.endsWith('.config.toml')) names.add(f.slice(0, -'.config.toml'.length));
  } catch {
    // no home yet: no profile files
  }
  return [...names].sort();
}

/** `projects` and `project_root_markers` as the user's own layers and `-c` set them (never a project file). */
function userProjectSettings(merged: TomlTable, overrides: ReturnType<typeof parseOverrides>): { projects: TomlValue | undefined; markers: string[] } {
  const preview: TomlTable = { projects: structuredClone(merged.projects ?? {}), project_root_markers: merged.project_root_markers ?? [] };
  const scratch = new Provenance();
  for (const o of overrides) {
    if (o.path[0] === 'projects' || o.path[0] === 'project_root_markers') mergeLayer(preview, layerFor(o.path, o.value), { kind: 'override', raw: o.raw }, scratch);
  }
  const markers = Array.isArray(preview.project_root_markers) ? preview.project_root_markers.filter((m): m is string => typeof m === 'string') : ['.git'];
  return { projects: preview.projects, markers };
}

/** A trust decision picks the sandbox (and, for an untrusted project, the approval policy) nobody chose (Codex 0.171). */
function applyTrustDefaults(config: Config, sources: Provenance, project: ProjectInfo | null): void {
  if (!project?.trust) return;
  const detail = `${project.trust} project ${project.decidedBy ?? project.trustTarget}`;
  if (sources.get(['sandbox_mode'])?.kind === 'default') {
    config.sandbox_mode = 'workspace-write';
    sources.record(['sandbox_mode'], 'workspace-write', { kind: 'default', detail });
  }
  if (project.trust === 'untrusted' && sources.nearest(['approval_policy'])?.kind === 'default') {
    config.approval_policy = 'untrusted';
    sources.record(['approval_policy'], 'untrusted', { kind: 'default', detail });
  }
}

function stringAt(table: TomlTable | undefined, key: string): string | undefined {
  const v = table?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const env = options.env ?? process.env;
  const home = options.home;
  const warnings: string[] = [];
  const overrides = parseOverrides(options.overrides ?? []);
  const file = configPath(home);
  const root: TomlTable = options.ignoreUserConfig ? {} : (readTomlFile(file) ?? {});
  const fileSource: Source = { kind: 'file', path: file };

  const legacyProfiles = root.profiles;
  if (legacyProfiles !== undefined && (!isTable(legacyProfiles) || !Object.values(legacyProfiles).every(isTable))) {
    throw new ConfigError(`invalid value in ${file}: profiles must be a table of [profiles.<name>] tables`, 'fix or remove it');
  }
  const rootLayer: TomlTable = { ...root };
  delete rootLayer.profiles;

  // The active profile: -p, else `profile` from -c, else from config.toml.
  let profileName = options.profile;
  let profileSource = 'the -p flag';
  if (profileName === undefined) {
    for (const o of overrides) {
      if (o.path.length === 1 && o.path[0] === 'profile' && typeof o.value === 'string') {
        profileName = o.value;
        profileSource = `-c ${o.raw}`;
      }
    }
  }
  if (profileName === undefined && stringAt(root, 'profile') !== undefined) {
    profileName = stringAt(root, 'profile');
    profileSource = `\`profile\` in ${file}`;
  }

  let profile: ActiveProfile | null = null;
  let profileLayer: TomlTable | undefined;
  if (profileName !== undefined) {
    if (!/^[A-Za-z0-9_.-]+$/.test(profileName) || profileName.startsWith('.')) {
      throw new UsageError(`invalid profile name \`${profileName}\``, 'use letters, digits, `-`, `_` and `.`');
    }
    const path = profilePath(home, profileName);
    const legacy = isTable(legacyProfiles) ? legacyProfiles[profileName] : undefined;
    const fromFile = existsSync(path) ? readTomlFile(path) : undefined;
    if (fromFile) {
      profile = { name: profileName, path, legacy: false };
      profileLayer = fromFile;
      if (legacy) warnings.push(`ignoring legacy [profiles.${profileName}] in ${file}: ${path} takes its place`);
    } else if (isTable(legacy)) {
      profile = { name: profileName, path: file, legacy: true };
      profileLayer = legacy;
      warnings.push(
        `note: using legacy [profiles.${profileName}] from ${file}; move it to ${path} (the form Codex 0.169 reads)`,
      );
    } else {
      const known = listProfiles(home, isTable(legacyProfiles) ? legacyProfiles : undefined);
      throw new ConfigError(
        `config profile \`${profileName}\` not found (selected by ${profileSource})`,
        `create ${path}${known.length ? `, or use one of: ${known.join(', ')}` : ''}`,
      );
    }
    for (const k of ['profile', 'profiles']) {
      if (profileLayer[k] !== undefined) {
        warnings.push(`\`${k}\` in profile ${profileName} is ignored: a profile cannot select another profile`);
        profileLayer = { ...profileLayer };
        delete profileLayer[k];
      }
    }
  }

  // Merge the layers, recording where each value came from.
  const merged: TomlTable = {};
  const sources = new Provenance();
  mergeLayer(merged, DEFAULTS, { kind: 'default' }, sources);
  mergeLayer(merged, rootLayer, fileSource, sources);
  if (profile && profileLayer) mergeLayer(merged, profileLayer, { kind: 'profile', ...profile }, sources);
  let project: ProjectInfo | null = null;
  if (options.cwd !== undefined) {
    const { projects, markers } = userProjectSettings(merged, overrides);
    project = describeProject(options.cwd, projects, markers, home);
    const layers = readProjectLayers(project);
    for (const layer of layers) mergeLayer(merged, layer.table, { kind: 'project', path: layer.path }, sources);
    warnings.push(...projectNotes(project, layers, file));
  }
  for (const o of overrides) mergeLayer(merged, layerFor(o.path, o.value), { kind: 'override', raw: o.raw }, sources);
  if (options.oss) {
    const configured = merged.oss_provider;
    const provider =
      options.oss.provider ??
      (typeof configured === 'string' && (LOCAL_PROVIDERS as readonly string[]).includes(configured) ? configured : 'ollama');
    mergeLayer(merged, { model_provider: provider }, { kind: 'flag', flag: '--oss' }, sources);
  }
  for (const f of options.flags ?? []) mergeLayer(merged, layerFor(f.path, f.value), { kind: 'flag', flag: f.flag }, sources);

  const unknown = takeUnknownKeys(merged, sources);
  if (unknown.length > 0) {
    if (options.strictConfig) throw unknownKeysError(unknown);
    warnings.push(unknownKeysWarning(unknown));
  }
  if (legacyProfiles !== undefined) merged.profiles = legacyProfiles;

  // Parsed once per run: zod's compiled fast path (new Function per object schema) costs more than it saves.
  const parsed = configSchema.safeParse(merged, { jitless: true });
  if (!parsed.success) throw invalidConfig(parsed.error, merged, sources, fileSource);
  const config = parsed.data;
  applyTrustDefaults(config, sources, project);

  // Relative paths in a file are relative to that file's directory; on the command line, to the cwd.
  for (const key of PATH_KEYS) {
    const value = config[key];
    if (typeof value !== 'string' || isAbsolute(value)) continue;
    const source = sources.get([key]);
    const base = source?.kind === 'file' || source?.kind === 'profile' || source?.kind === 'project' ? dirname(source.path) : process.cwd();
    config[key] = resolvePath(base, value);
  }

  // Built-in provider ids are reserved; the chosen provider must exist.
  for (const id of Object.keys(config.model_providers ?? {})) {
    if (BUILTIN_PROVIDER_IDS.includes(id)) {
      const source = sources.nearest(['model_providers', id]);
      throw new ConfigError(
        `model_providers.${id}${source ? ` in ${describeSource(source)}` : ''} redefines the built-in provider \`${id}\``,
        `rename your provider (for example \`${id}-custom\`) and set model_provider to the new name`,
      );
    }
  }
  const providerId = config.model_provider ?? 'openai';
  const builtins = builtinProviders(env, config.openai_base_url);
  if (!builtins.some((p) => p.id === providerId) && !config.model_providers?.[providerId]) {
    const source = sources.get(['model_provider']);
    const available = [...BUILTIN_PROVIDER_IDS, ...Object.keys(config.model_providers ?? {})];
    throw new ConfigError(
      `model provider \`${providerId}\` not found${source ? ` (set by ${describeSource(source)})` : ''}`,
      `define [model_providers.${providerId}] in ${file}, or use one of: ${available.join(', ')}`,
    );
  }

  // Local providers bring their own default model.
  if (config.model === undefined) {
    const builtin = builtins.find((p) => p.id === providerId);
    if (builtin?.defaultModel) {
      config.model = builtin.defaultModel;
      sources.record(['model'], builtin.defaultModel, { kind: 'default', detail: `${providerId} provider's model` });
    }
  }

  return { home, configFile: file, config, sources, profile, project, unknown, warnings };
}

/** Fills `model` with the catalog's recommended default when nothing chose one. */
export function withDefaultModel(loaded: LoadedConfig, slug: string): LoadedConfig {
  if (loaded.config.model !== undefined) return loaded;
  loaded.config.model = slug;
  loaded.sources.record(['model'], slug, { kind: 'default', detail: 'recommended model' });
  return loaded;
}
