/**
 * `exec` behind a gateway that streams less than it finally sends (LiteLLM's Responses→Chat bridge, as
 * measured in issue #17) and that reports errors as untyped `data: {"error": …}` frames. The built CLI
 * against the scripted server; no real gateway is contacted.
 */
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { raw, turn } from '../support/scripted-server.js';
import { useScriptedServer, gitWorkspace, quietHome, jsonLines, type Json } from '../support/e2e.js';

const server = useScriptedServer();

function run(args: string[]) {
  const home = makeHome({
    'config.toml': `model_provider = "lite"\nmodel = "gpt-5.4"\n[model_providers.lite]\nname = "LiteLLM"\nbase_url = "${server.url}"\nenv_key = "LITELLM_KEY"\n`,
  });
  return runCliAsync(['exec', ...args], { home, cwd: gitWorkspace(), env: { LITELLM_KEY: 'k', HOME: quietHome } });
}

const ev = (o: Json): string => `event: ${String(o.type)}\ndata: ${JSON.stringify(o)}\n\n`;
const created = ev({ type: 'response.created', response: { id: 'resp_lite', status: 'in_progress', output: [] } });
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('exec through a LiteLLM-like gateway', () => {
  it('runs the tool call the bridge put only in response.completed, replaying it once and no empty message', async () => {
    const message = { type: 'message', id: 'msg_lite', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: '', annotations: [] }] };
    const call = { type: 'function_call', id: 'call_lite', call_id: 'call_lite', name: 'shell_command', arguments: JSON.stringify({ command: 'echo bridged' }), status: 'completed' };
    server.reply(
      raw([
        created,
        ev({ type: 'response.output_item.added', output_index: 0, item: { ...message, status: 'in_progress', content: [] } }),
        ev({ type: 'response.output_text.done', item_id: 'msg_lite', output_index: 0, content_index: 0, text: '' }),
        ev({ type: 'response.output_item.done', output_index: 0, item: message }),
        ev({ type: 'response.completed', response: { id: 'resp_lite', status: 'completed', output: [message, call], usage: { input_tokens: 5, output_tokens: 2, total_tokens: 7 } } }),
      ]),
      turn({ text: 'listed' }),
    );
    const r = await run(['--json', 'list']);
    expect(r.status).toBe(0);
    const commands = jsonLines(r.stdout).filter((e) => e.type === 'item.completed' && (e.item as Json).type === 'command_execution');
    expect(commands.map((e) => (e.item as Json).aggregated_output)).toEqual(['bridged\n']);
    const replay = (server.requests[1]?.body?.input ?? []) as Json[];
    expect(replay.filter((i) => i.type === 'function_call').map((i) => i.call_id)).toEqual(['call_lite']);
    expect(replay.some((i) => i.type === 'function_call_output' && i.call_id === 'call_lite')).toBe(true);
    expect(replay.filter((i) => i.type === 'message' && i.role === 'assistant')).toEqual([]);
  });

  it('an error frame with a client-error code is shown once and not retried', async () => {
    const said = 'litellm.BadRequestError: OpenAIException - Invalid schema for function shell_command';
    server.reply(raw([created, `data: ${JSON.stringify({ error: { message: said, type: 'invalid_request_error', param: null, code: '400' } })}\n\n`]));
    const r = await run(['go']);
    expect(r.status).toBe(1);
    expect(occurrences(r.stderr, said)).toBe(1);
    expect(r.stderr).toContain(`LiteLLM rejected the request (400 Bad Request): ${said}`);
    expect(r.stderr).not.toContain('Reconnecting');
    expect(r.stderr).not.toContain('stream closed');
    expect(server.requests).toHaveLength(1);
  });

  it('an error frame with a server-error code is retried, shown once in the reconnect line, and the answer follows', async () => {
    const said = 'litellm.InternalServerError: upstream connection reset';
    server.reply(raw([created, `data: ${JSON.stringify({ error: { message: said, type: 'None', param: null, code: '500' } })}\n\n`]), turn({ text: 'second time lucky' }));
    const r = await run(['go']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('second time lucky\n');
    expect(occurrences(r.stderr, said)).toBe(1);
    expect(r.stderr).toContain(`Reconnecting... 1/5 (LiteLLM reported an error in the stream (500 Internal Server Error): ${said})`);
    expect(server.requests).toHaveLength(2);
  });
});
