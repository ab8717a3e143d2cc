import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, MASK, resolveHome, resolveProvider, type LoadOptions } from '../../src/config/index.js';
import { ConfigError, UsageError } from '../../src/shared/index.js';
import { makeHome } from '../support/cli.js';

function load(files: Record<string, string>, options: Omit<LoadOptions, 'home'> = {}) {
  return loadConfig({ home: makeHome(files), env: {}, ...options });
}

function failure(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('home directory', () => {
  it('is $OPENCODEX_HOME, else ~/.opencodex, never ~/.codex', () => {
    expect(resolveHome({ OPENCODEX_HOME: '/x/y' })).toBe('/x/y');
    expect(resolveHome({ HOME: '/home/u' })).toBe('/home/u/.opencodex');
    expect(resolveHome({ HOME: '/home/u', CODEX_HOME: '/home/u/.codex' })).toBe('/home/u/.opencodex');
  });
});

describe('precedence: flag > -c > profile > config.toml > default', () => {
  const files = {
    'config.toml': 'model = "gpt-5.2"\nmodel_reasoning_effort = "low"\n',
    'fast.config.toml': 'model = "gpt-5.4-mini"\nmodel_reasoning_effort = "medium"\n',
  };
  const legacy = {
    'config.toml': 'model = "gpt-5.2"\n[profiles.fast]\nmodel = "gpt-5.4-mini"\n',
  };
  const flag = (model: string) => [{ path: ['model'], value: model, flag: '--model' }];

  it.each([
    ['nothing', {}, 'gpt-5.2'],
    ['-p fast', { profile: 'fast' }, 'gpt-5.4-mini'],
    ['-p fast -c model=…', { profile: 'fast', overrides: ['model=gpt-5.3-codex'] }, 'gpt-5.3-codex'],
    ['-p fast -m …', { profile: 'fast', flags: flag('gpt-5.3-codex') }, 'gpt-5.3-codex'],
    ['-c model=…', { overrides: ['model=gpt-5.3-codex'] }, 'gpt-5.3-codex'],
    ['-m beats -c', { overrides: ['model=gpt-5.2'], flags: flag('gpt-5.4') }, 'gpt-5.4'],
  ] as const)('profile file: %s', (_name, options, expected) => {
    expect(load(files, options as Omit<LoadOptions, 'home'>).config.model).toBe(expected);
  });

  it('the legacy [profiles.NAME] table ranks like a profile file, with a note', () => {
    const root = load(legacy);
    expect(root.config.model).toBe('gpt-5.2');
    const fast = load(legacy, { profile: 'fast' });
    expect(fast.config.model).toBe('gpt-5.4-mini');
    expect(fast.profile).toMatchObject({ name: 'fast', legacy: true });
    expect(fast.warnings.join('\n')).toMatch(/note: using legacy \[profiles\.fast\].*fast\.config\.toml/);
    expect(load(legacy, { profile: 'fast', overrides: ['model=gpt-5.3-codex'] }).config.model).toBe('gpt-5.3-codex');
    expect(load(legacy, { profile: 'fast', flags: flag('gpt-5.4') }).config.model).toBe('gpt-5.4');
  });

  it('the profile file wins over a legacy table of the same name, which is reported as ignored', () => {
    const loaded = load(
      { 'config.toml': '[profiles.fast]\nmodel = "gpt-5.2"\n', 'fast.config.toml': 'model = "gpt-5.4-mini"\n' },
      { profile: 'fast' },
    );
    expect(loaded.config.model).toBe('gpt-5.4-mini');
    expect(loaded.warnings.join('\n')).toMatch(/ignoring legacy \[profiles\.fast\]/);
  });

  it('the root `profile` key (or -c profile=…) selects a profile when -p is absent', () => {
    expect(load({ ...files, 'config.toml': 'profile = "fast"\nmodel = "gpt-5.2"\n' }).config.model).toBe('gpt-5.4-mini');
    expect(load(files, { overrides: ['profile=fast'] }).config.model).toBe('gpt-5.4-mini');
  });

  it('without any setting, model is left to the catalog and other keys take built-in defaults', () => {
    const loaded = load({});
    expect(loaded.config.model).toBeUndefined();
    expect(loaded.config.model_provider).toBe('openai');
    expect(loaded.config.sandbox_mode).toBe('read-only');
    expect(loaded.config.project_doc_max_bytes).toBe(32768);
    expect(loaded.sources.get(['sandbox_mode'])).toEqual({ kind: 'default' });
  });

  it('records where each value came from', () => {
    const loaded = load(files, { profile: 'fast', overrides: ['sandbox_mode=workspace-write'], flags: flag('gpt-5.4') });
    expect(loaded.sources.get(['model'])).toEqual({ kind: 'flag', flag: '--model' });
    expect(loaded.sources.get(['sandbox_mode'])).toEqual({ kind: 'override', raw: 'sandbox_mode=workspace-write' });
    expect(loaded.sources.get(['model_reasoning_effort'])).toMatchObject({ kind: 'profile', name: 'fast', legacy: false });
    expect(loaded.config.model_reasoning_effort).toBe('medium');
    const rows = describeConfig(loaded);
    expect(rows.find((r) => r.key === 'model')?.source).toBe('flag --model');
    expect(rows.find((r) => r.key === 'sandbox_mode')?.source).toBe('-c sandbox_mode=workspace-write');
    expect(rows.find((r) => r.key === 'approval_policy')?.source).toBe('default');
  });

  it('merges tables key by key across layers; -c dotted keys create tables', () => {
    const loaded = load(
      { 'config.toml': '[sandbox_workspace_write]\nwritable_roots = ["/data"]\n' },
      { overrides: ['sandbox_workspace_write.network_access=true', 'model_providers.local.base_url=http://127.0.0.1:9/v1'] },
    );
    expect(loaded.config.sandbox_workspace_write).toMatchObject({ writable_roots: ['/data'], network_access: true, exclude_slash_tmp: false });
    expect(loaded.config.model_providers?.local?.base_url).toBe('http://127.0.0.1:9/v1');
  });

  it('a -c value replaces a non-table intermediate with a table', () => {
    const loaded = load({ 'config.toml': 'history = "x"\n' }, { overrides: ['history.persistence=none'] });
    expect(loaded.config.history).toEqual({ persistence: 'none' });
  });
});

describe('keys', () => {
  it('accepts every model/provider key, wire_api "responses" and "chat", and the other documented tables', () => {
    const loaded = load({
      'config.toml': `
model = "gpt-5.4"
review_model = "gpt-5.4"
model_provider = "local"
openai_base_url = "http://127.0.0.1:1/v1"
chatgpt_base_url = "https://chatgpt.com/backend-api/"
model_context_window = 100000
model_auto_compact_token_limit = 80000
model_reasoning_effort = "high"
plan_mode_reasoning_effort = "medium"
model_reasoning_summary = "concise"
model_verbosity = "low"
model_supports_reasoning_summaries = true
model_catalog_json = "/tmp/catalog.json"
model_instructions_file = "/tmp/instr.md"
developer_instructions = "be brief"
compact_prompt = "summarise"
tool_output_token_limit = 5000
service_tier = "flex"
personality = "pragmatic"
oss_provider = "lmstudio"
web_search = "disabled"
approval_policy = "untrusted"
sandbox_mode = "workspace-write"
project_doc_max_bytes = 0
project_doc_fallback_filenames = ["CLAUDE.md"]
project_root_markers = [".git", ".hg"]
notify = ["notify-send", "opencodex"]
hide_agent_reasoning = true
[sandbox_workspace_write]
writable_roots = ["/data"]
network_access = true
exclude_tmpdir_env_var = true
exclude_slash_tmp = true
[shell_environment_policy]
inherit = "core"
ignore_default_excludes = false
exclude = ["AWS_*"]
set = { CI = "1" }
include_only = ["PATH", "HOME"]
[history]
persistence = "none"
max_bytes = 1000
[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]
env = { DOCS_TOKEN = "t" }
[mcp_servers.remote]
url = "https://mcp.example/mcp"
bearer_token_env_var = "MCP_TOKEN"
[model_providers.local]
name = "Local vLLM"
base_url = "http://127.0.0.1:8000/v1"
env_key = "LOCAL_API_KEY"
env_key_instructions = "export LOCAL_API_KEY=…"
wire_api = "chat"
query_params = { "api-version" = "2025-04-01" }
http_headers = { "X-Team" = "a" }
env_http_headers = { "X-Org" = "ORG" }
request_max_retries = 2
stream_max_retries = 3
stream_idle_timeout_ms = 60000
[model_providers.resp]
name = "Responses server"
base_url = "http://127.0.0.1:8001/v1"
wire_api = "responses"
`,
    });
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.model_providers?.local?.wire_api).toBe('chat');
    expect(loaded.config.model_providers?.resp?.wire_api).toBe('responses');
    expect(loaded.config.shell_environment_policy?.set).toEqual({ CI: '1' });
    const provider = resolveProvider(loaded, {});
    expect(provider).toMatchObject({ id: 'local', wire_api: 'chat', request_max_retries: 2, stream_max_retries: 3, stream_idle_timeout_ms: 60000 });
  });

  it('fills provider retry budgets with Codex defaults and the openai base URL from openai_base_url', () => {
    const loaded = load({ 'config.toml': 'openai_base_url = "http://127.0.0.1:5/v1"\n' });
    expect(resolveProvider(loaded, {})).toMatchObject({
      id: 'openai',
      base_url: 'http://127.0.0.1:5/v1',
      wire_api: 'responses',
      request_max_retries: 4,
      stream_max_retries: 5,
      stream_idle_timeout_ms: 300000,
    });
  });

  it('--oss selects the local provider (oss_provider, else ollama) and its default model', () => {
    const ollama = load({}, { oss: {} });
    expect(ollama.config.model_provider).toBe('ollama');
    expect(ollama.config.model).toBe('gpt-oss:20b');
    expect(ollama.sources.get(['model_provider'])).toEqual({ kind: 'flag', flag: '--oss' });
    const lms = load({ 'config.toml': 'oss_provider = "lmstudio"\n' }, { oss: {} });
    expect(lms.config.model).toBe('openai/gpt-oss-20b');
    expect(load({}, { oss: { provider: 'lmstudio' } }).config.model_provider).toBe('lmstudio');
    expect(load({}, { oss: {}, flags: [{ path: ['model'], value: 'qwen3', flag: '--model' }] }).config.model).toBe('qwen3');
  });

  it('masks secrets in the effective config', () => {
    const loaded = load({
      'config.toml': `
[model_providers.p]
name = "P"
base_url = "http://h/v1"
env_key = "P_KEY"
experimental_bearer_token = "tok-123"
http_headers = { Authorization = "Bearer abc", "X-Api-Key" = "k", "X-Team" = "visible" }
[mcp_servers.m]
command = "m"
env = { GITHUB_TOKEN = "ghp_x", LOG_LEVEL = "debug" }
`,
    });
    const rows = Object.fromEntries(describeConfig(loaded).map((r) => [r.key, r.value]));
    expect(rows['model_providers.p.experimental_bearer_token']).toBe(MASK);
    expect(rows['model_providers.p.http_headers.Authorization']).toBe(MASK);
    expect(rows['model_providers.p.http_headers.X-Api-Key']).toBe(MASK);
    expect(rows['model_providers.p.http_headers.X-Team']).toBe('visible');
    expect(rows['model_providers.p.env_key']).toBe('P_KEY');
    expect(rows['mcp_servers.m.env.GITHUB_TOKEN']).toBe(MASK);
    expect(rows['mcp_servers.m.env.LOG_LEVEL']).toBe('debug');
    expect(JSON.stringify(describeConfig(loaded))).not.toMatch(/tok-123|Bearer abc|ghp_x/);
  });
});

describe('errors', () => {
  it('invalid TOML names the file, line and column', () => {
    const err = failure(() => load({ 'config.toml': 'model = "gpt-5.4"\nsandbox_mode = \n' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/config\.toml is not valid TOML: line 2, column \d+/);
  });

  it('invalid TOML in a profile file names that file', () => {
    const err = failure(() => load({ 'fast.config.toml': 'model = = 1\n' }, { profile: 'fast' }));
    expect(err.message).toMatch(/fast\.config\.toml is not valid TOML: line 1/);
  });

  it('unknown keys are one warning naming each key and where it is, not an error', () => {
    const loaded = load({ 'config.toml': 'model = "gpt-5.4"\nmodel_max_output_tokens = 5\n' }, { overrides: ['frobnicate=1'] });
    expect(loaded.config.model).toBe('gpt-5.4');
    expect(loaded.warnings).toEqual([
      expect.stringMatching(
        /^opencodex is ignoring 2 unrecognized configuration settings: model_max_output_tokens in file \S*config\.toml; frobnicate in -c frobnicate=1 \(--strict-config makes this an error\)$/,
      ),
    ]);
    expect(loaded.unknown.map((u) => u.path.join('.'))).toEqual(['model_max_output_tokens', 'frobnicate']);
  });

  it('Codex keys we do not use load silently', () => {
    expect(load({ 'config.toml': '[tui]\nnotifications = true\n[otel]\nexporter = "none"\n' }).warnings).toEqual([]);
  });

  it('a wrong type names the key, what is allowed and where it came from', () => {
    expect(failure(() => load({ 'config.toml': 'project_doc_max_bytes = "big"\n' })).message).toMatch(
      /invalid config in file .*config\.toml: project_doc_max_bytes must be a number \(got "big"\)/,
    );
    expect(failure(() => load({}, { overrides: ['hide_agent_reasoning=maybe'] })).message).toMatch(
      /invalid config in -c hide_agent_reasoning=maybe: hide_agent_reasoning must be a boolean/,
    );
  });

  it('a wrong enum value lists the allowed values', () => {
    const err = failure(() => load({ 'config.toml': 'approval_policy = "sometimes"\n' }));
    expect(err.message).toMatch(/approval_policy/);
    const enumErr = failure(() => load({ 'fast.config.toml': 'sandbox_mode = "full"\n' }, { profile: 'fast' }));
    expect(enumErr.message).toBe(
      `invalid config in profile fast (${enumErr.message.match(/\((\/[^)]*fast\.config\.toml)\)/)?.[1]}): sandbox_mode must be one of "read-only", "workspace-write", "danger-full-access" (got "full")`,
    );
    expect(failure(() => load({ 'config.toml': '[model_providers.x]\nname="X"\nwire_api = "completions"\n' })).message).toMatch(
      /model_providers\.x\.wire_api must be one of "responses", "chat" \(got "completions"\)/,
    );
  });

  it('an unknown key inside a provider table is left out with the warning, and is an error with --strict-config', () => {
    const files = { 'config.toml': '[model_providers.x]\nname="X"\nbase-url = "http://h"\n' };
    const loaded = load(files);
    expect(loaded.config.model_providers?.x).toEqual({ name: 'X' });
    expect(loaded.warnings[0]).toMatch(/model_providers\.x\.base-url \(did you mean base_url\?\) in file /);
    expect(failure(() => load(files, { strictConfig: true })).message).toMatch(/^1 unrecognized configuration setting \(--strict-config\): model_providers\.x\.base-url/);
  });

  it('an MCP server needs a command or a url', () => {
    expect(failure(() => load({ 'config.toml': '[mcp_servers.m]\nargs = ["x"]\n' })).message).toMatch(
      /mcp_servers\.m needs exactly one of `command`/,
    );
  });

  it('an unknown profile names the file to create and the profiles that exist', () => {
    const err = failure(() => load({ 'work.config.toml': '', 'config.toml': '[profiles.old]\nmodel="x"\n' }, { profile: 'fats' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('config profile `fats` not found (selected by the -p flag)');
    expect((err as ConfigError).hint).toMatch(/create .*fats\.config\.toml, or use one of: old, work/);
    expect(failure(() => load({ 'config.toml': 'profile = "gone"\n' })).message).toMatch(/profile `gone` not found \(selected by `profile` in/);
  });

  it('an unknown model_provider lists the providers that exist', () => {
    const err = failure(() => load({ 'config.toml': 'model_provider = "vllm"\n[model_providers.local]\nname = "L"\n' })) as ConfigError;
    expect(err.message).toMatch(/model provider `vllm` not found \(set by file .*config\.toml\)/);
    expect(err.hint).toMatch(/define \[model_providers\.vllm\].*openai, ollama, lmstudio, local/);
  });

  it('redefining a built-in provider id is an error suggesting a new name', () => {
    for (const id of ['openai', 'ollama', 'lmstudio']) {
      const err = failure(() => load({ 'config.toml': `[model_providers.${id}]\nname = "mine"\n` })) as ConfigError;
      expect(err.message).toMatch(new RegExp(`model_providers\\.${id} in file .* redefines the built-in provider \`${id}\``));
      expect(err.hint).toMatch(new RegExp(`${id}-custom`));
    }
  });

  it('-c without = is a usage error', () => {
    const err = failure(() => load({}, { overrides: ['model'] }));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
  });
});
