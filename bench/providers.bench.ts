/**
 * Provider stream throughput: MB/s of a large recorded SSE stream turned into normalized events
 * (UTF-8 decode → SSE framing → JSON → wire decoder → events), for both wire APIs. The stream has a
 * reasoning summary, a long answer in small deltas (≈ one token each, as fast models send them) and
 * tool calls. A second table runs the whole client against the scripted server over loopback HTTP.
 * Target: ≥ 50 MB/s for the decoding.
 */
import { createModelClient, decodeRecordedStream, type ProviderEvent } from '../src/providers/index.js';
import { FALLBACK_FACTS } from '../src/catalog/index.js';
import { RETRY_DEFAULTS } from '../src/config/index.js';
import { chatEvents, responsesEvents, startScriptedServer, turn, type ScriptedTurn } from '../test/support/scripted-server.js';
import { median, table } from './util.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const words = 'the quick brown fox jumps over a lazy dog while the agent reads files and writes patches '.split(' ');
let answer = '';
for (let i = 0; answer.length < 600_000; i++) answer += `${words[i % words.length] ?? ''} `;

const script: ScriptedTurn = {
  reasoningSummary: ['**Planning** ' + answer.slice(0, 20_000)],
  text: answer,
  deltaSize: 4,
  toolCalls: [
    { name: 'shell', arguments: { cmd: `grep -rn ${'x'.repeat(2000)} src` } },
    { name: 'apply_patch', kind: 'custom', input: `*** Begin Patch\n${'+line\n'.repeat(5000)}*** End Patch` },
  ],
};

const CHUNK = 16 * 1024;
function recording(events: string[]): Uint8Array[] {
  const bytes = new TextEncoder().encode(events.join(''));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
  return chunks;
}

const rows: string[][] = [];
for (const wire of ['responses', 'chat'] as const) {
  const chunks = recording(wire === 'responses' ? responsesEvents(script) : chatEvents(script));
  const size = chunks.reduce((n, c) => n + c.length, 0);
  let events = 0;
  const times: number[] = [];
  for (let run = 0; run < RUNS + 2; run++) {
    events = 0;
    const t0 = process.hrtime.bigint();
    decodeRecordedStream(wire, chunks, (e: ProviderEvent) => {
      events++;
      if (e.type === 'failed') throw e.error;
    }, { customTools: new Set(['apply_patch']) });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (run >= 2) times.push(ms);
  }
  const ms = median(times);
  rows.push([wire, (size / 1e6).toFixed(1), String(events), ms.toFixed(1), (size / 1e6 / (ms / 1000)).toFixed(0), ((ms * 1e6) / events).toFixed(0)]);
}
process.stdout.write(`Normalized SSE decoding of a recorded stream, median of ${RUNS} runs\n\n`);
process.stdout.write(table(['wire API', 'MB', 'events', 'median ms', 'MB/s', 'ns/event'], rows));

// The whole client over loopback HTTP (server rendering included, so this is a lower bound).
const server = await startScriptedServer();
const httpRows: string[][] = [];
for (const wire of ['responses', 'chat'] as const) {
  const size = (wire === 'responses' ? responsesEvents(script) : chatEvents(script)).join('').length;
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    server.reply(turn(script));
    const client = createModelClient(
      { ...RETRY_DEFAULTS, id: 'bench', name: 'Bench', base_url: server.url, wire_api: wire, builtin: false, local: true, supports_web_search: false, supports_tool_namespaces: false },
      { env: {}, home: '/nonexistent' },
    );
    const t0 = process.hrtime.bigint();
    for await (const e of client.stream({ model: { requested: 'bench', facts: FALLBACK_FACTS }, input: [], threadId: 'bench' })) {
      if (e.type === 'failed') throw e.error;
    }
    if (run >= 1) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const ms = median(times);
  httpRows.push([wire, (size / 1e6).toFixed(1), ms.toFixed(1), (size / 1e6 / (ms / 1000)).toFixed(0)]);
}
await server.close();
process.stdout.write(`\nWhole client against the scripted server over loopback HTTP, median of 4 runs\n\n`);
process.stdout.write(table(['wire API', 'MB', 'median ms', 'MB/s'], httpRows));
