import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeHome, runCli, runCliInProcess as cli } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** A user error is exactly one line on stderr, with no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
}

describe('opencodex --version and --help', () => {
  it('prints the package version', () => {
    for (const flag of ['--version', '-V']) {
      const r = runCli([flag], { home: makeHome() });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`opencodex ${pkg.version}\n`);
    }
    expect(runCli(['-m', 'x', '--version'], { home: makeHome() }).stdout).toBe(`opencodex ${pkg.version}\n`);
  });

  it('lists the commands and the shared flags', async () => {
    const r = await cli(['--help'], { home: makeHome() });
    expect(r.status).toBe(0);
    for (const word of ['exec|e', 'resume', 'login', 'logout', 'models', 'completion', 'config', '-c, --config', '-m, --model', '-p, --profile', '-s, --sandbox', '-C, --cd', '--add-dir', '-i, --image', '--oss', '--version']) {
      expect(r.stdout).toContain(word);
    }
  });
});

describe('opencodex models', () => {
  const home = makeHome();

  it('prints current models as a table with the command to use each', () => {
    // The built binary (the rest of the file runs the CLI in process: same code, no start-up per case).
    const r = runCli(['models'], { home });
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+STATUS\s+CAPABILITY\s+SPEED\s+CONTEXT\s+INPUT\s+EFFORTS\s+API\s+USE$/);
    expect(lines[1]).toMatch(/^gpt-5\.4\s+recommended, default\s+\?\s+\?\s+272k \(max 1M\)\s+text\+image\s+low medium high xhigh\*\s+yes\s+opencodex -m gpt-5\.4$/);
    expect(r.stdout).toMatch(/^gpt-5\.3-codex-spark\s+recommended, preview\s.*\stext\s.*opencodex -m gpt-5\.3-codex-spark$/m);
    expect(r.stdout).toMatch(/^gpt-5\.2\s+alternative\s/m);
    expect(r.stdout).not.toMatch(/^gpt-5-codex/m);
    expect(r.stdout).toMatch(/^gpt-6\.2-sol\s+recommended\s.*low\* medium high xhigh max ultra\s+yes\s+opencodex -m gpt-6\.2-sol$/m);
    expect(r.stdout).not.toMatch(/^codex-auto-review/m);
    expect(r.stdout).toMatch(/retired models \(7\) and hidden models \(3\): opencodex models --all/);
  });

  it('--all adds retired models with their successor', async () => {
    const r = await cli(['models', '--all'], { home });
    expect(r.stdout).toMatch(/^gpt-5-codex-mini\s+retired → gpt-5\.1-codex-mini\s.*opencodex -m gpt-5-codex-mini$/m);
    expect(r.stdout).toMatch(/^gpt-5\s+retired → gpt-5\.1\s/m);
  });

  it('--json gives the same data, and every command is generated from its own slug', async () => {
    const current = JSON.parse((await cli(['models', '--json'], { home })).stdout) as { default_model: string; models: Array<Record<string, unknown>> };
    expect(current.default_model).toBe('gpt-5.4');
    expect(current.models.map((m) => m.slug)).toEqual([
      'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.3-codex', 'gpt-5.3-codex-spark', 'gpt-6.2-sol', 'gpt-6.2-astra', 'gpt-6.1-terra', 'gpt-6-luna',
      'gpt-5.2', 'gpt-6.1-sol', 'gpt-6-astra', 'gpt-6-sol', 'gpt-5.6-sol', 'gpt-5.6-terra', 'gpt-5.6-luna', 'gpt-5.5',
    ]);
    const all = JSON.parse((await cli(['models', '--all', '--json'], { home })).stdout) as { models: Array<Record<string, unknown>> };
    expect(all.models).toHaveLength(26);
    expect(all.models.find((m) => m.slug === 'codex-auto-review')).toMatchObject({ hidden: true, priority: 43 });
    for (const m of all.models) expect(m.use).toBe(`opencodex -m ${String(m.slug)}`);
    const mini = all.models.find((m) => m.slug === 'gpt-5-codex-mini');
    expect(mini).toMatchObject({ status: 'retired', successor: 'gpt-5.1-codex-mini', successor_chain: ['gpt-5.1-codex-mini'] });
    expect(all.models.find((m) => m.slug === 'gpt-5')).toMatchObject({ successor_chain: ['gpt-5.1', 'gpt-5.2'] });
    expect(all.models[0]).toMatchObject({ slug: 'gpt-5.4', default: true, context_window: 272000, max_context_window: 1000000 });
  });

  it('shows every fact of one model, found by dated or namespaced slug', async () => {
    const r = await cli(['models', 'openai/gpt-5.4-mini-2026-03-01'], { home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^gpt-5\.4-mini — GPT-5\.4 mini {3}\(matched from openai\/gpt-5\.4-mini-2026-03-01\)/);
    expect(r.stdout).toMatch(/surfaces: +CLI & SDK: \?, App & IDE extension: \?, Cloud: \?, ChatGPT credits: \?, API access: yes/);
    expect(r.stdout).toMatch(/use: +opencodex -m gpt-5\.4-mini$/m);
    const unknown = await cli(['models', 'llama3'], { home });
    expect(unknown.status).toBe(2);
    expectOneLineError(unknown.stderr, /model llama3 is not in the catalog/);
  });

  it('uses the catalog file from config', async () => {
    const catHome = makeHome({ 'cat.json': JSON.stringify({ models: [{ slug: 'local-coder', description: 'mine', status: 'recommended' }] }) });
    const r = await cli(['-c', `model_catalog_json=${catHome}/cat.json`, 'models', '--json'], { home: catHome });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ default_model: 'local-coder', models: [{ slug: 'local-coder', use: 'opencodex -m local-coder' }] });
    const bad = makeHome({ 'config.toml': 'model_catalog_json = "cat.json"\n', 'cat.json': '{"models":[{"slug":1}]}' });
    // A relative path in config.toml is relative to config.toml's directory, not the cwd.
    const r2 = await cli(['models'], { home: bad, cwd: '/' });
    expect(r2.status).toBe(1);
    expectOneLineError(r2.stderr, new RegExp(`model catalog ${bad}/cat\\.json does not validate: models\\[0\\]\\.slug must be a string`));
  });
});

describe('opencodex config', () => {
  const home = makeHome({
    'config.toml': 'model = "gpt-5.2"\napproval_policy = "never"\n[model_providers.local]\nname = "Local"\nbase_url = "http://127.0.0.1:1/v1"\nwire_api = "chat"\nexperimental_bearer_token = "sk-secret-value"\n',
    'fast.config.toml': 'model = "gpt-5.4-mini"\nsandbox_mode = "workspace-write"\n',
  });

  it('prints each effective value with its source, secrets masked', async () => {
    const r = await cli(['-p', 'fast', '-c', 'model_provider=local', 'config', '-s', 'danger-full-access'], { home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^model = "gpt-5\.4-mini" +# profile fast \(.*fast\.config\.toml\)$/m);
    expect(r.stdout).toMatch(/^model_provider = "local" +# -c model_provider=local$/m);
    expect(r.stdout).toMatch(/^sandbox_mode = "danger-full-access" +# flag --sandbox$/m);
    expect(r.stdout).toMatch(/^approval_policy = "never" +# file .*config\.toml$/m);
    expect(r.stdout).toMatch(/^project_doc_max_bytes = 32768 +# default$/m);
    expect(r.stdout).toMatch(/^model_providers\.local\.experimental_bearer_token = "\*{8}"/m);
    expect(r.stdout).toMatch(/^# provider: local \(Local, wire_api chat, http:\/\/127\.0\.0\.1:1\/v1\)$/m);
    expect(r.stdout + r.stderr).not.toContain('sk-secret-value');
  });

  it('root flags apply before or after the subcommand, and `debug config` is the same report', async () => {
    const before = await cli(['-m', 'gpt-5.3-codex', 'config', '--json'], { home });
    const after = await cli(['config', '-m', 'gpt-5.3-codex', '--json'], { home });
    const debug = await cli(['-m', 'gpt-5.3-codex', 'debug', 'config', '--json'], { home });
    for (const r of [before, after, debug]) {
      expect(r.status).toBe(0);
      const json = JSON.parse(r.stdout) as { values: Array<{ key: string; value: unknown; source: string }> };
      expect(json.values.find((v) => v.key === 'model')).toEqual({ key: 'model', value: 'gpt-5.3-codex', source: 'flag --model', masked: false });
    }
  });

  it('shows the catalog default when nothing chooses a model', async () => {
    const r = await cli(['config'], { home: makeHome() });
    expect(r.stdout).toMatch(/^model = "gpt-5\.4" +# default \(recommended model\)$/m);
  });

  it('warns once about a retired model, naming the chain to a current model', async () => {
    const r = await cli(['-m', 'gpt-5', 'config'], { home: makeHome() });
    expect(r.status).toBe(0);
    const warnings = r.stderr.split('\n').filter((l) => l.includes('retired'));
    expect(warnings).toEqual(['warning: model gpt-5 is retired: gpt-5 → gpt-5.1 → gpt-5.2; switch with `opencodex -m gpt-5.2` or model = "gpt-5.2" in config.toml']);
  });

  it('says once that an unknown model runs on safe defaults', async () => {
    const r = await cli(['-m', 'qwen3-coder', 'config'], { home: makeHome() });
    expect(r.stderr.match(/not in the model catalog/g)).toHaveLength(1);
  });
});

describe('errors a user can cause', () => {
  it('usage errors exit 2 with one line', async () => {
    const unknownFlag = runCli(['--frobnicate'], { home: makeHome() });
    expect(unknownFlag.status).toBe(2);
    expectOneLineError(unknownFlag.stderr, /unknown option '--frobnicate'/);
    const badChoice = await cli(['-s', 'everything', 'config'], { home: makeHome() });
    expect(badChoice.status).toBe(2);
    expectOneLineError(badChoice.stderr, /read-only, workspace-write, danger-full-access/);
    const noEq = await cli(['-c', 'model', 'config'], { home: makeHome() });
    expect(noEq.status).toBe(2);
    expectOneLineError(noEq.stderr, /invalid -c override `model` \(missing '='\) — write -c key=value/);
    const badShell = await cli(['completion', 'tcsh'], { home: makeHome() });
    expect(badShell.status).toBe(2);
  });

  it('config errors exit 1 with one line; --debug adds the stack', async () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n[history\npersistence = "none"\n' });
    const r = runCli(['config'], { home });
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr, /config\.toml is not valid TOML: line 2, column \d+/);
    const debug = runCli(['config', '--debug'], { home });
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/ConfigError/);
    expect(debug.stderr.split('\n').length).toBeGreaterThan(2);

    const profile = await cli(['-p', 'nope', 'config'], { home: makeHome() });
    expect(profile.status).toBe(1);
    expectOneLineError(profile.stderr, /config profile `nope` not found/);

    const provider = await cli(['-c', 'model_provider=nowhere', 'config'], { home: makeHome() });
    expect(provider.status).toBe(1);
    expectOneLineError(provider.stderr, /model provider `nowhere` not found/);

    const reserved = await cli(['config'], { home: makeHome({ 'config.toml': '[model_providers.ollama]\nname = "x"\n' }) });
    expect(reserved.status).toBe(1);
    expectOneLineError(reserved.stderr, /redefines the built-in provider `ollama`/);

    const enumErr = await cli(['-c', 'approval_policy=always', 'config'], { home: makeHome() });
    expect(enumErr.status).toBe(1);
    expectOneLineError(enumErr.stderr, /approval_policy/);
  });

  it('an unknown root key only warns', async () => {
    const r = await cli(['config'], { home: makeHome({ 'config.toml': 'model = "gpt-5.4"\nshiny_new_key = 1\n' }) });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^warning: opencodex is ignoring 1 unrecognized configuration setting: shiny_new_key in file .*config\.toml \(--strict-config makes this an error\)$/m);
  });

  it('-C must be a directory', async () => {
    const r = await cli(['-C', '/definitely/not/here', 'config'], { home: makeHome() });
    expect(r.status).toBe(2);
    expectOneLineError(r.stderr, /-C\/--cd: \/definitely\/not\/here is not a directory/);
  });
});

describe('the interactive session without a terminal', () => {
  it.each([
    [['resume', '--last'], /the interactive session needs a terminal/],
    [['hello'], /the interactive session needs a terminal/],
  ])('%j says why in one line and exits 1', async (args, message) => {
    const r = await cli(args, { home: makeHome() });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLineError(r.stderr, message);
  });

  it('still shows the config and model notices before the error', async () => {
    const r = await cli(['-m', 'gpt-5', 'hello'], { home: makeHome({ 'config.toml': 'bogus_key = 1\n' }) });
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^warning: opencodex is ignoring 1 unrecognized configuration setting: bogus_key /);
    expect(lines[1]).toMatch(/^warning: model gpt-5 is retired/);
    expect(lines[2]).toMatch(/^error: the interactive session needs a terminal/);
  });

  it('root flags and config apply to exec; a missing key is one clear line after the notices', () => {
    const noKeys = { OPENAI_API_KEY: undefined, CODEX_API_KEY: undefined };
    const r = runCli(['-m', 'gpt-5', 'exec', '--skip-git-repo-check', 'x'], { home: makeHome(), env: noKeys });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^warning: model gpt-5 is retired.*\nerror: .*OPENAI_API_KEY.*opencodex login/s);
    const bad = runCli(['-c', 'sandbox_mode=x', 'exec', 'x'], { home: makeHome(), env: noKeys });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/invalid config in -c sandbox_mode=x/);
  });
});

describe('Codex subcommands opencodex does not have', () => {
  it.each(['plugin', 'remote-control', 'update', 'apply', 'a', 'queue', 'migrate-rollouts', 'cloud', 'exec-server', 'features', 'agents'])(
    '`opencodex %s` says so in one line and exits 2, without reaching a model',
    async (name) => {
      const r = await cli([name], { home: makeHome(), env: { OPENAI_API_KEY: 'sk-unused' } });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expectOneLineError(r.stderr, new RegExp(`^error: opencodex does not have \`codex ${name === 'a' ? 'apply' : name}\``));
    },
  );

  it('says what to use instead, and how to send words as a prompt', async () => {
    expect((await cli(['update'], { home: makeHome() })).stderr).toMatch(/\(update opencodex with the package manager that installed it/);
    const words = await cli(['update', 'the', 'readme'], { home: makeHome() });
    expect(words.status).toBe(2);
    expectOneLineError(words.stderr, /; to send it to the model, quote the prompt: opencodex "update the readme"$/);
  });

  it('a quoted prompt that starts with such a word is a prompt', async () => {
    // Without a terminal the interactive session refuses to start: the prompt reached it, not a subcommand.
    const r = await cli(['update the readme'], { home: makeHome() });
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr, /the interactive session needs a terminal/);
  });

  it('`opencodex review` is the interactive review: it needs a terminal (exec review does not) and one target', async () => {
    const r = await cli(['review', '--uncommitted'], { home: makeHome() });
    expect(r.status).toBe(1);
    expectOneLineError(r.stderr, /^error: the interactive review needs a terminal .*opencodex exec review/);
    const two = await cli(['review', '--uncommitted', '--base', 'main'], { home: makeHome() });
    expect(two.status).toBe(2);
    expectOneLineError(two.stderr, /review takes one of --uncommitted, --base, --commit or instructions, not --uncommitted and --base/);
  });

  it('are not listed in --help', async () => {
    const help = (await cli(['--help'], { home: makeHome() })).stdout;
    expect(help).not.toMatch(/^\s+(update|plugin|cloud)\b/m);
  });
});
