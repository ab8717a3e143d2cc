/**
 * Trusted projects (Codex 0.171): `[projects."<dir>"] trust_level = "trusted" | "untrusted"` in the user's
 * config. A directory is decided by its own entry, else by its project root's (`project_root_markers`),
 * else by its git checkout's main root (a linked worktree counts as its main checkout), comparing paths
 * as written and with symbolic links resolved. For a trusted project, the `.codex/config.toml` and
 * `.opencodex/config.toml` of each directory from the project root down to the cwd are config layers;
 * an untrusted or undecided project's are not read at all.
 */
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { escapeLine, findProjectRoot, isSandboxMountPoint } from '../shared/index.js';
import { isTable, readTomlFile, type TomlTable, type TomlValue } from './toml.js';

export type TrustLevel = 'trusted' | 'untrusted';

/** The project the cwd belongs to, as `opencodex config` and the trust question show it. */
export interface ProjectInfo {
  cwd: string;
  /** The project root from `project_root_markers` (the cwd when none matches). */
  root: string;
  /** The directory a trust answer is written for: the git checkout's main root, else the cwd (as Codex). */
  trustTarget: string;
  trust: TrustLevel | null;
  /** The `[projects."…"]` entry that decided, when one did. */
  decidedBy: string | null;
  /** Project config files that exist, from the root down; loaded only when `trust` is trusted. */
  files: string[];
}

/** A trusted project's config file, read, with the keys a project may not set taken out. */
export interface ProjectLayer {
  path: string;
  table: TomlTable;
  /** Keys taken out (PROJECT_DENYLIST). */
  denied: string[];
}

/**
 * Keys a project config cannot set (Codex's list, plus the trust table and profile selection): where
 * requests go and with which credentials, and what runs after each turn, stay the user's choice.
 */
export const PROJECT_DENYLIST = [
  'openai_base_url',
  'chatgpt_base_url',
  'model_provider',
  'model_providers',
  'notify',
  'otel',
  'projects',
  'profile',
  'profiles',
] as const;

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The main checkout's root for a git working tree (through a linked worktree's `gitdir:`), or null. */
export function gitRootForTrust(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, '.git');
    if (existsSync(dotGit) && !isSandboxMountPoint(dotGit)) {
      try {
        if (statSync(dotGit).isDirectory()) return dir;
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (!m?.[1]) return null;
        const gitDir = real(resolve(dir, m[1]));
        const worktrees = dirname(gitDir);
        if (basename(worktrees) !== 'worktrees') return null;
        return dirname(dirname(worktrees));
      } catch {
        return null;
      }
    }
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** The `trust_level` of each `[projects."…"]` entry, keyed by the path as written (trailing `/` dropped). */
function trustTable(projects: TomlValue | undefined): Map<string, { key: string; level: TrustLevel }> {
  const out = new Map<string, { key: string; level: TrustLevel }>();
  if (!isTable(projects)) return out;
  for (const [key, entry] of Object.entries(projects)) {
    const level = isTable(entry) ? entry.trust_level : undefined;
    if ((level === 'trusted' || level === 'untrusted') && isAbsolute(key)) out.set(resolve(key), { key, level });
  }
  return out;
}

/** Everything about the cwd's project; `projects` and `markers` come from the user's own layers. */
export function describeProject(cwd: string, projects: TomlValue | undefined, markers: readonly string[], home: string): ProjectInfo {
  const here = resolve(cwd);
  const root = findProjectRoot(here, markers) ?? here;
  const gitRoot = gitRootForTrust(here);
  const table = trustTable(projects);
  let decided: { key: string; level: TrustLevel } | undefined;
  for (const dir of [here, root, gitRoot]) {
    if (dir === null) continue;
    decided = table.get(dir) ?? table.get(real(dir)) ?? [...table].find(([k]) => real(k) === real(dir))?.[1];
    if (decided) break;
  }
  return {
    cwd: here,
    root,
    trustTarget: gitRoot ?? here,
    trust: decided?.level ?? null,
    decidedBy: decided?.key ?? null,
    files: projectConfigFiles(here, root, home),
  };
}

/** `<dir>/.codex/config.toml` and `<dir>/.opencodex/config.toml` from the root down to the cwd, where they exist. */
function projectConfigFiles(cwd: string, root: string, home: string): string[] {
  const dirs: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (dir === root || dirname(dir) === dir) break;
  }
  // The user's own homes are never project folders: opencodex's is the user config, Codex's is never read.
  const skip = new Set([real(home), real(join(homedir(), '.codex'))]);
  const files: string[] = [];
  for (const dir of dirs) {
    for (const folder of ['.codex', '.opencodex']) {
      const path = join(dir, folder, 'config.toml');
      if (!skip.has(real(join(dir, folder))) && existsSync(path)) files.push(path);
    }
  }
  return files;
}

/** Keys inside tables a project cannot set either: which provider subagents' requests go to. */
export const PROJECT_NESTED_DENYLIST: ReadonlyArray<readonly [string, string]> = [['agents', 'default_subagent_provider']];

/** The layers of a trusted project, the denied keys removed. */
export function readProjectLayers(project: ProjectInfo): ProjectLayer[] {
  if (project.trust !== 'trusted') return [];
  return project.files.map((path) => {
    const table: TomlTable = { ...(readTomlFile(path) ?? {}) };
    const denied: string[] = PROJECT_DENYLIST.filter((k) => k in table);
    for (const k of denied) delete table[k];
    for (const [parent, key] of PROJECT_NESTED_DENYLIST) {
      const inner = table[parent];
      if (!isTable(inner) || !(key in inner)) continue;
      const copy = { ...inner };
      delete copy[key];
      table[parent] = copy;
      denied.push(`${parent}.${key}`);
    }
    return { path, table, denied };
  });
}

/** The one-line notes about a project's config files: keys a trusted one may not set, files of an untrusted one. */
export function projectNotes(project: ProjectInfo, layers: readonly ProjectLayer[], configFile: string): string[] {
  const notes: string[] = [];
  for (const l of layers) {
    if (l.denied.length) notes.push(escapeLine(`ignoring ${l.denied.join(', ')} in project config ${l.path}: a project cannot set them; set them in ${configFile}`));
  }
  if (project.trust !== 'trusted' && project.files.length > 0) {
    const files = project.files.join(', ');
    const why =
      project.trust === 'untrusted'
        ? `${project.decidedBy ?? project.trustTarget} is marked untrusted in ${configFile}`
        : `to load ${project.files.length === 1 ? 'it' : 'them'}, trust the project: add [projects.${JSON.stringify(project.trustTarget)}] trust_level = "trusted" to ${configFile} (the interactive session asks)`;
    notes.push(escapeLine(`note: not loading project config ${files}: ${why}`));
  }
  return notes;
}
