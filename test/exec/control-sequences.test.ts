import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agent/index.js';
import { HumanRenderer } from '../../src/exec/index.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, quietHome, useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();

const ESC = '\u001b';
const BEL = '\u0007';
const TITLE = `${ESC}]0;pwned${BEL}`;
const CLIPBOARD = `${ESC}]52;c;cHduZWQ=${BEL}`;
const C1 = '\u009d0;c1\u009c\u009b2J';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** opencodex's own styling: SGR on/off pairs, nothing else. */
// eslint-disable-next-line no-control-regex
const OWN_STYLE = /\u001b\[(?:1|2|3|22|23|31|32|35|36|39)m/g;

function sink() {
  const s = new PassThrough();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return { s, text: () => text };
}

describe('exec human output: text opencodex did not write is shown escaped', () => {
  const evil = `${TITLE}${CLIPBOARD}${C1}`;
  const shown = '\\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07\\x9d0;c1\\x9c\\x9b2J';
  const events: AgentEvent[] = [
    { type: 'item.completed', item: { id: 'r', type: 'reasoning', text: `think ${evil}` } },
    { type: 'item.started', item: { id: 'c', type: 'command_execution', command: `echo '${evil}'`, cwd: '/w\x07', aggregated_output: '', exit_code: null, status: 'in_progress' } },
    { type: 'item.completed', item: { id: 'c', type: 'command_execution', command: `echo '${evil}'`, cwd: '/w\x07', aggregated_output: `out ${evil}\r\nsafe\rEVIL\n`, exit_code: 0, status: 'completed' } },
    { type: 'error', message: `retry ${evil}` },
    { type: 'item.started', item: { id: 'p', type: 'file_change', changes: [{ path: `/w/${evil}.txt`, kind: 'add' }], status: 'in_progress' } },
    { type: 'patch.diff', item_id: 'p', diffs: [{ path: `/w/${evil}.txt`, kind: 'add', diff: `--- /dev/null\n+++ b/x\n@@ -0,0 +1,1 @@\n+${evil}\n` }] },
    { type: 'item.completed', item: { id: 'p', type: 'file_change', changes: [{ path: `/w/${evil}.txt`, kind: 'add' }], status: 'completed' } },
    { type: 'item.completed', item: { id: 't', type: 'todo_list', items: [{ text: `step ${evil}`, completed: false }] } },
    { type: 'item.started', item: { id: 'm', type: 'mcp_tool_call', server: `srv${evil}`, tool: 'tool', arguments: {}, result: null, error: null, status: 'in_progress' } },
    { type: 'item.completed', item: { id: 'w', type: 'web_search', provider_id: 'ws_1', query: `q ${evil}`, action: { type: 'search' } } },
    { type: 'item.completed', item: { id: 'e', type: 'error', message: `mcp said ${evil}` } },
    { type: 'item.completed', item: { id: 'a', type: 'agent_message', text: `answer ${evil}` } },
    { type: 'turn.failed', error: { message: `server said ${evil}` } },
  ];

  function render(stdoutIsTerminal: boolean) {
    const out = sink();
    const err = sink();
    const r = new HumanRenderer({ stdout: out.s, stderr: err.s, color: true, hideReasoning: false, interactiveTerminal: false, stdoutIsTerminal, cwd: `/w${BEL}`, now: () => 0 });
    r.banner({ version: '0.1.0', workdir: `/w${BEL}`, model: 'm', provider: 'p', approval: 'never', sandbox: 'read-only', reasoningEffort: 'none', reasoningSummaries: 'none', sessionId: 's' }, `prompt ${evil}`);
    r.warning(`note ${evil}`);
    for (const e of events) r.handle(e);
    r.flushFinal();
    return { stdout: out.text(), stderr: err.text() };
  }

  it('escapes every piece of foreign text on stderr and keeps its own colours', () => {
    const { stderr } = render(false);
    expect(stderr.replace(OWN_STYLE, '')).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain(`${ESC}[35mopencodex${ESC}[39m\nanswer ${shown}`);
    expect(stderr).toContain(`${ESC}[3m${ESC}[2mthink ${shown}${ESC}[22m${ESC}[23m`);
    expect(stderr).toContain(`${ESC}[1mecho '${shown}'${ESC}[22m in /w\\x07`);
    expect(stderr).toContain(`${ESC}[2mout ${shown}\nsafe\\x0dEVIL\n${ESC}[22m`);
    expect(stderr).toContain(`${ESC}[32m+${shown}${ESC}[39m`);
    for (const text of [`prompt ${shown}`, `note ${shown}`, `retry ${shown}`, `/w/${shown}.txt`, `step ${shown}`, `srv${shown}/tool`, `q ${shown}`, `mcp said ${shown}`, `server said ${shown}`, 'workdir:\u001b[22m /w\\x07']) {
      expect(stderr).toContain(text);
    }
  });

  it('writes the final message byte-exact to a piped stdout, escaped to a terminal', () => {
    expect(render(false).stdout).toBe(`answer ${evil}\n`);
    expect(render(true).stdout).toBe(`answer ${shown}\n`);
  });
});

describe('opencodex exec (human mode) against a model and a command printing control sequences', () => {
  it('shows them escaped on stderr, with its own colours, and leaves the piped answer byte-exact', async () => {
    const answer = `done ${TITLE}${CLIPBOARD}${C1}`;
    server.reply(
      turn({
        reasoningSummary: [`**Thinking** ${TITLE}${CLIPBOARD}`],
        toolCalls: [{ name: 'shell_command', arguments: { command: "printf '\\033]0;pwned\\007\\033]52;c;cHduZWQ=\\007\\302\\235x\\302\\234\\nsafe\\rEVIL\\n'" }, callId: 'c1' }],
      }),
      turn({ text: answer }),
    );
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
    });
    const r = await runCliAsync(['exec', '--color', 'always', 'go'], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${answer}\n`);

    const stderr = r.stderr;
    expect(stderr.replace(OWN_STYLE, '')).not.toMatch(RAW_CONTROL);
    expect(stderr).toContain(`${ESC}[35mopencodex${ESC}[39m`);
    // The reasoning summary, the command's output and the answer, each shown escaped.
    expect(stderr).toMatch(/\*\*Thinking\*\* \\x1b\]0;pwned\\x07\\x1b\]52;c;cHduZWQ=\\x07/);
    expect(stderr).toContain('\\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07\\x9dx\\x9c\nsafe\\x0dEVIL');
    expect(stderr).toContain('done \\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07\\x9d0;c1\\x9c\\x9b2J');
  });

  it('shows an error message carrying control characters escaped', async () => {
    const home = makeHome({ 'config.toml': 'model = "gpt-5.4"\n' });
    const r = await runCliAsync(['exec', '--output-schema', `${TITLE}.json`, 'go'], { home, cwd: gitWorkspace(), env: { HOME: quietHome } });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr).toMatch(/^error: Failed to read output schema file .*\\x1b\]0;pwned\\x07\.json: ENOENT/m);
  });
});
