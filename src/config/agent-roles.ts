/**
 * Custom agents (Codex's agent files): `<home>/agents/<name>.toml`, and for a trusted project the
 * `.codex/agents/` and `.opencodex/agents/` folders of each directory from the project root down to the
 * working directory (deeper files win, project files over the user's). Each file defines one role the model
 * can name as `agent_type`: `name`, `description`, `developer_instructions`, and optionally `model`,
 * `model_reasoning_effort`, `sandbox_mode`, `mcp_servers`, `nickname_candidates`, and (opencodex, user files
 * only) `model_provider`. A file that cannot be used is skipped with one warning line; nothing is fatal.
 */
import { readdirSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import * as z from 'zod';
import { describeIssue, escapeLine, issuePath } from '../shared/index.js';
import type { LoadedConfig } from './load.js';
import { mcpServerSchema, REASONING_EFFORT_VALUES, SANDBOX_MODES, type McpServerConfig, type SandboxMode } from './schema.js';
import { readTomlFile } from './toml.js';

export interface AgentRole {
  name: string;
  description: string;
  developerInstructions: string;
  model?: string;
  effort?: string;
  provider?: string;
  sandboxMode?: SandboxMode;
  mcpServers?: Record<string, McpServerConfig>;
  nicknames?: string[];
  /** The file that defined it. */
  path: string;
}

const roleSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, `_`, `.` or `-`'),
  description: z.string().min(1),
  developer_instructions: z.string().min(1),
  model: z.string().min(1).optional(),
  model_reasoning_effort: z.enum(REASONING_EFFORT_VALUES).optional(),
  model_provider: z.string().min(1).optional(),
  sandbox_mode: z.enum(SANDBOX_MODES).optional(),
  mcp_servers: z.record(z.string(), mcpServerSchema).optional(),
  nickname_candidates: z.array(z.string().min(1)).min(1).optional(),
});

const KNOWN = new Set(Object.keys(roleSchema.shape));

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function tomlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.toml'))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/** The folders agent files are read from, lowest precedence first. */
function roleDirs(loaded: LoadedConfig): Array<{ dir: string; project: boolean }> {
  const dirs = [{ dir: join(loaded.home, 'agents'), project: false }];
  const p = loaded.project;
  if (p?.trust !== 'trusted') return dirs;
  const chain: string[] = [];
  for (let d = p.cwd; ; d = dirname(d)) {
    chain.unshift(d);
    if (d === p.root || dirname(d) === d) break;
  }
  // The user's own homes are never project folders.
  const skip = new Set([real(loaded.home), real(join(homedir(), '.codex'))]);
  for (const d of chain) for (const folder of ['.codex', '.opencodex']) if (!skip.has(real(join(d, folder)))) dirs.push({ dir: join(d, folder, 'agents'), project: true });
  return dirs;
}

/** One agent file as a role, or the one-line reason it cannot be used. */
export function readAgentRole(path: string, project: boolean): { role: AgentRole; notes: string[] } | { error: string } {
  let table: unknown;
  try {
    table = readTomlFile(path);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  const parsed = roleSchema.safeParse(table ?? {}, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: issue ? `${issuePath(issue.path) || '(top level)'} ${describeIssue(issue, table)}` : 'is not a valid agent file' };
  }
  const r = parsed.data;
  const notes: string[] = [];
  const unknown = Object.keys(r).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) notes.push(`ignoring ${unknown.join(', ')} in agent file ${path}: opencodex does not use ${unknown.length === 1 ? 'it' : 'them'}`);
  const role: AgentRole = { name: r.name, description: r.description, developerInstructions: r.developer_instructions, path };
  if (r.model) role.model = r.model;
  if (r.model_reasoning_effort) role.effort = r.model_reasoning_effort;
  if (r.model_provider) {
    if (project) notes.push(`ignoring model_provider in project agent file ${path}: a project cannot choose where requests go; set it in your own agent file`);
    else role.provider = r.model_provider;
  }
  if (r.sandbox_mode) role.sandboxMode = r.sandbox_mode;
  if (r.nickname_candidates) role.nicknames = r.nickname_candidates;
  if (r.mcp_servers) {
    // Relative working directories are relative to the agent file, as in config files.
    const base = dirname(path);
    role.mcpServers = Object.fromEntries(
      Object.entries(r.mcp_servers).map(([name, s]) => [name, s.cwd !== undefined && !isAbsolute(s.cwd) ? { ...s, cwd: resolve(base, s.cwd) } : s]),
    );
  }
  return { role, notes };
}

/** Every usable custom agent by name (the last definition of a name wins), and one warning per skipped file. */
export function loadAgentRoles(loaded: LoadedConfig): { roles: Map<string, AgentRole>; warnings: string[] } {
  const roles = new Map<string, AgentRole>();
  const warnings: string[] = [];
  for (const { dir, project } of roleDirs(loaded)) {
    for (const path of tomlFiles(dir)) {
      const read = readAgentRole(path, project);
      if ('error' in read) {
        warnings.push(escapeLine(`skipping agent file ${path}: ${read.error}`));
        continue;
      }
      warnings.push(...read.notes.map(escapeLine));
      roles.set(read.role.name, read.role);
    }
  }
  return { roles, warnings };
}
