/** What the in-process subagent tests share: an agent (and its subagent manager) on the scripted server. */
import { createAgent, type Agent } from '../../../src/agent/index.js';
import type { CollabOwner, SubagentManager } from '../../../src/agent/collab/index.js';
import { lookupModel, SHIPPED_CATALOG, type Catalog } from '../../../src/catalog/index.js';
import { loadConfig, resolveProvider } from '../../../src/config/index.js';
import type { McpConnections } from '../../../src/mcp/index.js';
import type { Approver } from '../../../src/sandbox/index.js';
import { makeHome } from '../../support/cli.js';
import { gitWorkspace } from '../../support/e2e.js';
import type { ScriptedServer } from '../../support/scripted-server.js';

export const SETUP_ENV = { PATH: process.env.PATH, MOCK_KEY: 'k' };

/** A home whose config points the `mock` provider at the server (gpt-5.4, no retries), with `extra` config lines. */
export function mockHome(server: ScriptedServer, extra = '', files: Record<string, string> = {}): string {
  return makeHome({
    'config.toml':
      `model_provider = "mock"\nmodel = "gpt-5.4"\n${extra}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\n` +
      'env_key = "MOCK_KEY"\nwire_api = "responses"\nrequest_max_retries = 0\nstream_max_retries = 0\n',
    ...files,
  });
}

export interface SetupOptions {
  extra?: string;
  files?: Record<string, string>;
  approver?: Approver;
  untrusted?: boolean;
  model?: string;
  catalog?: Catalog;
  /** Record rollouts (in the home returned). */
  rollout?: boolean;
  /** The session's MCP servers. */
  mcp?: McpConnections;
}

export function setupAgent(server: ScriptedServer, o: SetupOptions = {}): { manager: SubagentManager; owner: CollabOwner; warnings: string[]; agent: Agent; home: string } {
  // Root keys first: `extra` may open a table.
  const home = mockHome(server, `sandbox_mode = "workspace-write"\n${o.extra ?? ''}`, o.files);
  const loaded = loadConfig({ home, env: SETUP_ENV });
  const catalog = o.catalog ?? SHIPPED_CATALOG;
  const agent = createAgent({
    loaded,
    catalog,
    model: lookupModel(catalog, o.model ?? 'gpt-5.4'),
    provider: resolveProvider(loaded, SETUP_ENV),
    cwd: gitWorkspace(),
    addDirs: [],
    approvalPolicy: o.untrusted ? 'untrusted' : 'never',
    approver: o.approver ?? { ask: async () => ({ answer: 'deny' }) },
    exec: true,
    env: SETUP_ENV,
    ...(o.mcp ? { mcp: o.mcp } : {}),
    ...(o.rollout ? { rollout: { source: 'exec' as const, originator: 'test' } } : {}),
  });
  const manager = agent.subagents as SubagentManager;
  const session = agent.session;
  const owner: CollabOwner = { threadId: session.threadId, depth: 0, parent: () => ({ model: session.model, providerId: 'mock', effort: undefined }) };
  return { manager, owner, warnings: agent.warnings, agent, home };
}
