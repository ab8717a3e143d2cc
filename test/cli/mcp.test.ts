import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { makeHome, runCli, runCliInProcess as cli } from '../support/cli.js';

describe('opencodex mcp', () => {
  it('adds stdio and HTTP servers, keeping the rest of config.toml, then lists, gets and removes them', () => {
    const home = makeHome({ 'config.toml': '# my settings\nmodel = "gpt-5.4" # favourite\n' });
    const file = join(home, 'config.toml');
    let r = runCli(['mcp', 'add', 'docs', '--env', 'TOKEN=abc', '--env', 'MODE=x=y', '--', 'npx', '-y', 'docs-server', '--port', '1'], { home });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Added MCP server 'docs' in ${file}\n`);
    r = runCli(['mcp', 'add', 'web', '--url', 'https://example.test/mcp', '--bearer-token-env-var', 'WEB_TOKEN'], { home });
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# my settings\nmodel = "gpt-5.4" # favourite\n')).toBe(true);
    expect(parse(text)).toEqual({
      model: 'gpt-5.4',
      mcp_servers: {
        docs: { command: 'npx', args: ['-y', 'docs-server', '--port', '1'], env: { TOKEN: 'abc', MODE: 'x=y' } },
        web: { url: 'https://example.test/mcp', bearer_token_env_var: 'WEB_TOKEN' },
      },
    });

    r = runCli(['mcp', 'list'], { home });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Name\s+Command\s+Args\s+Env\s+Cwd\s+Status\ndocs\s+npx\s+-y docs-server --port 1\s+TOKEN=\*\*\*\*\*, MODE=\*\*\*\*\*\s+-\s+enabled\n/);
    expect(r.stdout).toMatch(/\nName\s+Url\s+Bearer Token Env Var\s+Status\nweb\s+https:\/\/example\.test\/mcp\s+WEB_TOKEN\s+enabled\n/);
    expect(r.stdout).not.toContain('abc');

    const json = JSON.parse(runCli(['mcp', 'list', '--json'], { home }).stdout) as Array<Record<string, unknown>>;
    expect(json.map((s) => s.name)).toEqual(['docs', 'web']);
    expect(json[1]).toMatchObject({ name: 'web', enabled: true, transport: { type: 'streamable_http', url: 'https://example.test/mcp', bearer_token_env_var: 'WEB_TOKEN' } });

    r = runCli(['mcp', 'get', 'docs'], { home });
    expect(r.stdout).toMatch(/^docs\n  enabled: true\n  transport: stdio\n  command: npx\n  args: -y docs-server --port 1\n/);
    expect(r.stdout).toContain('  remove: opencodex mcp remove docs\n');
    expect(JSON.parse(runCli(['mcp', 'get', 'docs', '--json'], { home }).stdout)).toMatchObject({ transport: { type: 'stdio', command: 'npx', env: { TOKEN: 'abc' } } });

    // add again replaces the table: keys it had before do not linger.
    expect(runCli(['mcp', 'add', 'docs', '--', 'node', 'server.js'], { home }).stdout).toBe(`Replaced MCP server 'docs' in ${file}\n`);
    expect((parse(readFileSync(file, 'utf8')) as { mcp_servers: Record<string, unknown> }).mcp_servers.docs).toEqual({ command: 'node', args: ['server.js'] });

    r = runCli(['mcp', 'remove', 'docs'], { home });
    expect(r.stdout).toBe(`Removed MCP server 'docs' from ${file}\n`);
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ model: 'gpt-5.4', mcp_servers: { web: { url: 'https://example.test/mcp', bearer_token_env_var: 'WEB_TOKEN' } } });
  });

  // The mistakes and the listing details run the CLI in process (the lifecycle above is the built binary's).
  it('says so in one line for mistakes and for OAuth', async () => {
    const home = makeHome();
    const lastLine = (s: string) => s.trim().split('\n').at(-1);
    let r = await cli(['mcp', 'remove', 'ghost'], { home });
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/^error: no MCP server named 'ghost' in .*config\.toml — see `opencodex mcp list`$/);
    r = await cli(['mcp', 'get', 'ghost'], { home });
    expect(r.status).toBe(1);
    r = await cli(['mcp', 'add', 'bad.name', '--', 'x'], { home });
    expect(r.status).toBe(2);
    expect(lastLine(r.stderr)).toBe("error: invalid MCP server name 'bad.name' — use letters, digits, - and _ only");
    r = await cli(['mcp', 'add', 'x'], { home });
    expect(r.status).toBe(2);
    expect(lastLine(r.stderr)).toMatch(/^error: mcp add needs a command after -- or --url/);
    r = await cli(['mcp', 'add', 'x', '--url', 'http://a', '--', 'cmd'], { home });
    expect(lastLine(r.stderr)).toBe('error: give either --url or a command after --, not both');
    r = await cli(['mcp', 'add', 'x', '--env', 'NOPE', '--', 'cmd'], { home });
    expect(lastLine(r.stderr)).toMatch(/^error: --env NOPE is not KEY=VALUE/);
    r = await cli(['mcp', 'login', 'web'], { home });
    expect(r.status).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/^error: `opencodex mcp login` is not available: opencodex does not do OAuth for MCP servers — /);
    expect((await cli(['mcp', 'list'], { home })).stdout).toMatch(/^No MCP servers configured yet/);
    expect((await cli(['mcp', 'list', '--json'], { home })).stdout).toBe('[]\n');
  });

  it('lists a disabled server as disabled and shows its timeouts and tool filters', async () => {
    const home = makeHome();
    writeFileSync(
      join(home, 'config.toml'),
      '[mcp_servers.off]\ncommand = "srv"\nenabled = false\nstartup_timeout_ms = 2500\ntool_timeout_sec = 30\nenabled_tools = ["a"]\n',
    );
    expect((await cli(['mcp', 'list'], { home })).stdout).toMatch(/\noff\s+srv\s+-\s+-\s+-\s+disabled\n/);
    const get = (await cli(['mcp', 'get', 'off'], { home })).stdout;
    expect(get).toContain('  enabled: false\n');
    expect(get).toContain('  startup_timeout_sec: 2.5\n  tool_timeout_sec: 30\n  enabled_tools: a\n');
  });
});
