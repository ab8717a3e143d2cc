/**
 * `[agents]` (Codex's keys and 0.171's name for the thread cap, with Codex's defaults), `[features]
 * multi_agent`, and custom agent files: the user's, and a trusted project's only.
 */
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentSettings, describeConfig, loadAgentRoles, loadConfig } from '../../src/config/index.js';
import { makeHome } from '../support/cli.js';

function project(files: Record<string, string> = {}): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-proj-')));
  mkdirSync(join(dir, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const trust = (dir: string, level = 'trusted') => `[projects.${JSON.stringify(dir)}]\ntrust_level = "${level}"\n`;
const role = (name: string, extra = '') => `name = "${name}"\ndescription = "The ${name}."\ndeveloper_instructions = "Be a ${name}."\n${extra}`;

describe('[agents]', () => {
  it('defaults to 6 open subagents and depth 1, offered', () => {
    const loaded = loadConfig({ home: makeHome(), env: {} });
    expect(agentSettings(loaded.config)).toEqual({ enabled: true, maxThreads: 6, maxDepth: 1, defaultModel: undefined, defaultEffort: undefined, defaultProvider: undefined });
  });

  it('takes Codex\'s keys, 0.171\'s max_concurrent_threads_per_session over max_threads, and the opencodex provider key', () => {
    const toml =
      '[agents]\nmax_threads = 2\nmax_concurrent_threads_per_session = 3\nmax_depth = 2\ndefault_subagent_model = "qwen3"\n' +
      'default_subagent_reasoning_effort = "low"\ndefault_subagent_provider = "openai"\njob_max_runtime_seconds = 60\n';
    const loaded = loadConfig({ home: makeHome({ 'config.toml': toml }), env: {} });
    expect(loaded.warnings).toEqual([]);
    expect(agentSettings(loaded.config)).toEqual({ enabled: true, maxThreads: 3, maxDepth: 2, defaultModel: 'qwen3', defaultEffort: 'low', defaultProvider: 'openai' });
    const rows = describeConfig(loaded);
    expect(rows.find((r) => r.key === 'agents.job_max_runtime_seconds')?.ignored).toMatch(/no CSV batch jobs/);
    expect(rows.find((r) => r.key === 'agents.max_threads')?.ignored).toBeUndefined();
  });

  it('is off with features.multi_agent = false or agents.enabled = false', () => {
    for (const toml of ['[features]\nmulti_agent = false\n', '[agents]\nenabled = false\n']) {
      expect(agentSettings(loadConfig({ home: makeHome({ 'config.toml': toml }), env: {} }).config).enabled).toBe(false);
    }
    const rows = describeConfig(loadConfig({ home: makeHome({ 'config.toml': '[features]\nmulti_agent = false\n' }), env: {} }));
    expect(rows.find((r) => r.key === 'features.multi_agent')?.ignored).toBeUndefined();
  });

  it('a bad value is an error naming the key', () => {
    expect(() => loadConfig({ home: makeHome({ 'config.toml': '[agents]\nmax_threads = 0\n' }), env: {} })).toThrow(/agents\.max_threads/);
  });

  it('a project config cannot choose the subagents\' provider', () => {
    const dir = project({ '.codex/config.toml': '[agents]\ndefault_subagent_provider = "openai"\nmax_threads = 2\n' });
    const loaded = loadConfig({ home: makeHome({ 'config.toml': trust(dir) }), env: {}, cwd: dir });
    expect(loaded.config.agents).toEqual({ max_threads: 2 });
    expect(loaded.warnings.join('\n')).toMatch(/ignoring agents\.default_subagent_provider in project config/);
  });
});

describe('custom agent files', () => {
  it('reads the user\'s agents and a trusted project\'s (deeper and project files win)', () => {
    const dir = project({
      '.codex/agents/reviewer.toml': role('reviewer', 'model = "gpt-5.4-mini"\nsandbox_mode = "read-only"\nmodel_provider = "local"\n'),
      'pkg/.opencodex/agents/docs.toml': role('docs', '[mcp_servers.notes]\ncommand = "notes-server"\ncwd = "tools"\n'),
      'pkg/.keep': '',
    });
    const home = makeHome({
      'config.toml': trust(dir),
      'agents/reviewer.toml': role('reviewer', 'model = "gpt-5.4"\n'),
      'agents/mine.toml': role('mine', 'model_provider = "local"\nmodel_reasoning_effort = "high"\nnickname_candidates = ["Ann", "Bo"]\nweb_search = "live"\n'),
    });
    const loaded = loadConfig({ home, env: {}, cwd: join(dir, 'pkg') });
    const { roles, warnings } = loadAgentRoles(loaded);
    expect([...roles.keys()].sort()).toEqual(['docs', 'mine', 'reviewer']);
    expect(roles.get('reviewer')).toMatchObject({ model: 'gpt-5.4-mini', sandboxMode: 'read-only', path: join(dir, '.codex/agents/reviewer.toml') });
    // A project file cannot choose where requests go.
    expect(roles.get('reviewer')?.provider).toBeUndefined();
    expect(roles.get('mine')).toMatchObject({ provider: 'local', effort: 'high', nicknames: ['Ann', 'Bo'], developerInstructions: 'Be a mine.' });
    expect(roles.get('docs')?.mcpServers?.notes).toMatchObject({ command: 'notes-server', cwd: join(dir, 'pkg/.opencodex/agents/tools') });
    expect(warnings).toEqual([
      expect.stringMatching(/^ignoring web_search in agent file .*mine\.toml: opencodex does not use it$/),
      expect.stringMatching(/^ignoring model_provider in project agent file .*reviewer\.toml: a project cannot choose where requests go/),
    ]);
  });

  it('never reads an untrusted project\'s agents', () => {
    const dir = project({ '.codex/agents/evil.toml': role('evil', '[mcp_servers.x]\ncommand = "rm"\n') });
    const loaded = loadConfig({ home: makeHome({ 'config.toml': trust(dir, 'untrusted') }), env: {}, cwd: dir });
    expect([...loadAgentRoles(loaded).roles.keys()]).toEqual([]);
  });

  it('skips a file it cannot use, with one line saying why', () => {
    const home = makeHome({
      'agents/a.toml': 'name = "a"\ndescription = "x"\n',
      'agents/b.toml': 'name = "b\n',
      'agents/c.toml': role('c', 'sandbox_mode = "rw"\n'),
      'agents/ok.toml': role('ok'),
    });
    const { roles, warnings } = loadAgentRoles(loadConfig({ home, env: {} }));
    expect([...roles.keys()]).toEqual(['ok']);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^skipping agent file .*a\.toml: developer_instructions must be a string/);
    expect(warnings[1]).toMatch(/^skipping agent file .*b\.toml: /);
    expect(warnings[2]).toMatch(/^skipping agent file .*c\.toml: sandbox_mode must be one of "read-only", "workspace-write", "danger-full-access" \(got "rw"\)$/);
  });
});
