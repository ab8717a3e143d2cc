/**
 * Agent types the model can name in `spawn_agent`: the built-in `default`, `worker` and `explorer`, and
 * the custom agents of the user's and a trusted project's agent files (config/agent-roles.ts), which may
 * replace a built-in one by using its name.
 */
import type { AgentRole, McpServerConfig, SandboxMode } from '../../config/index.js';

export interface Role {
  name: string;
  /** When the parent should pick it (shown to the parent's model). */
  description: string;
  /** Extra developer instructions the subagent gets (null: none). */
  instructions: string | null;
  model?: string;
  effort?: string;
  provider?: string;
  sandboxMode?: SandboxMode;
  /** MCP servers started for each helper of this type (config.toml's `[mcp_servers.X]` shape). */
  mcpServers?: Record<string, McpServerConfig>;
  nicknames?: string[];
  /** The agent file that defined it (custom agents). */
  path?: string;
}

export const DEFAULT_ROLE = 'default';

const BUILT_IN: readonly Role[] = [
  {
    name: DEFAULT_ROLE,
    description: 'A general-purpose helper with your settings; used when no agent_type is given.',
    instructions: null,
  },
  {
    name: 'worker',
    description:
      'For carrying out a bounded piece of work: implementing part of a feature, fixing a test or a bug, one slice of a refactor. ' +
      'Say which files or modules it owns, and tell it that others may be changing other parts of the code at the same time.',
    instructions:
      'You are a worker: another agent gave you one bounded piece of a larger task. Change only what your task covers; other ' +
      'agents may be editing other files at the same time, so never undo or rewrite changes you did not make, and adapt to them ' +
      'instead. When you finish, list the files you changed and anything you could not do.',
  },
  {
    name: 'explorer',
    description:
      'For a specific, well-scoped question about the code (where something is defined, how a flow works, what calls what), ' +
      'answered by reading it. It cannot change files. Start several at once for independent questions; trust their answers ' +
      'rather than repeating their search.',
    instructions:
      'You are an explorer: answer the question you were given by reading the code, quickly and precisely. Do not change any ' +
      'file. Back each finding with file paths (and line numbers where useful), and keep the answer short.',
    sandboxMode: 'read-only',
  },
];

function fromConfig(r: AgentRole): Role {
  const role: Role = { name: r.name, description: r.description, instructions: r.developerInstructions, path: r.path };
  if (r.model !== undefined) role.model = r.model;
  if (r.effort !== undefined) role.effort = r.effort;
  if (r.provider !== undefined) role.provider = r.provider;
  if (r.sandboxMode !== undefined) role.sandboxMode = r.sandboxMode;
  if (r.mcpServers !== undefined) role.mcpServers = r.mcpServers;
  if (r.nicknames !== undefined) role.nicknames = r.nicknames;
  return role;
}

/** The agent types by name: built-in first, custom agents after (replacing a built-in of the same name). */
export function roleBook(custom: ReadonlyMap<string, AgentRole>): Map<string, Role> {
  const book = new Map<string, Role>(BUILT_IN.map((r) => [r.name, r]));
  for (const r of custom.values()) book.set(r.name, fromConfig(r));
  return book;
}

/** The `agent_type` parameter's description: every type with when to use it, and what it fixes. */
export function rolesText(book: ReadonlyMap<string, Role>): string {
  const lines = [...book.values()].map((r) => {
    const fixed = [r.model ? `model ${r.model}` : '', r.effort ? `reasoning effort ${r.effort}` : '', r.sandboxMode ? `sandbox ${r.sandboxMode}` : ''].filter(Boolean);
    return `- ${r.name}: ${r.description}${fixed.length > 0 ? ` (runs with ${fixed.join(', ')})` : ''}`;
  });
  return `The kind of agent to start (default: ${DEFAULT_ROLE}). Available:\n${lines.join('\n')}`;
}
