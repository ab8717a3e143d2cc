/**
 * The doctor's provider checks: the server answers GET /models (and lists the configured model), and one
 * tiny real request on the configured wire comes back. Over Chat Completions that request offers a tool and
 * asks for a call, and the raw stream shows the server's dialect (whole or streamed arguments, tool-call
 * ids, the reasoning field, the usage chunk), turned into the provider settings that fit.
 */
import type { ResolvedModel } from '../../catalog/index.js';
import type { ProviderInfo } from '../../config/index.js';
import {
  adviceForRejected,
  chatSettingAdvice,
  chatTraits,
  collectTurn,
  createModelClient,
  listProviderModels,
  messageText,
  ProviderError,
  type ChatSettingAdvice,
  type ResponseItem,
  type ToolSpec,
  type TurnRequest,
} from '../../providers/index.js';
import { escapeLine, uuidv7 } from '../../shared/index.js';
import type { Report } from './report.js';

/** Longest wait for the test request's answer. */
export const REQUEST_TIMEOUT_MS = 60_000;

const PROBE_TOOL: ToolSpec = {
  type: 'function',
  name: 'doctor_echo',
  description: 'Echoes a word back. Call it when asked to.',
  parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'], additionalProperties: false },
};

const errorLine = (err: ProviderError): string => escapeLine(err.message);

/** GET /models: false when the server cannot be reached at all (the request is then skipped). */
async function checkModels(r: Report, provider: ProviderInfo, model: ResolvedModel, home: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  try {
    const { ids } = await listProviderModels(provider, { env, home });
    const listed = ids.includes(model.requested);
    const sample = ids.slice(0, 8).join(', ') + (ids.length > 8 ? `, … (${ids.length - 8} more)` : '');
    if (listed || ids.length === 0) r.ok('provider', `GET /models: ${ids.length} model${ids.length === 1 ? '' : 's'}${listed ? `, ${model.requested} among them` : ''}`, ids.length ? [sample] : []);
    else r.warn('provider', `GET /models lists ${ids.length} model${ids.length === 1 ? '' : 's'}, not ${model.requested}`, `use one it serves: opencodex -m MODEL (see \`opencodex models --provider\`), or model = "MODEL" in config.toml`, [sample]);
    return true;
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    if (err.kind === 'connection') {
      r.fail('provider', `not reachable: ${errorLine(err)}`, err.hint ?? null);
      return false;
    }
    // A server without the endpoint (or one that refuses it) may still answer requests.
    r.warn('provider', `GET /models: ${errorLine(err)}`, err.hint ?? null);
    return true;
  }
}

function settingsLine(providerId: string, advice: readonly ChatSettingAdvice[]): string {
  return `[model_providers.${providerId}] ${advice.map((a) => `${a.key} = ${JSON.stringify(a.value)}`).join(', ')}`;
}

/** One small request on the configured wire; over Chat, the dialect read from its stream. */
async function checkRequest(r: Report, provider: ProviderInfo, model: ResolvedModel, home: string, env: NodeJS.ProcessEnv): Promise<void> {
  const chat = provider.wire_api === 'chat';
  const payloads: string[] = [];
  // One attempt, no retries: the doctor reports what happens, it does not wait out a retry budget.
  const once: ProviderInfo = { ...provider, request_max_retries: 0, stream_max_retries: 0 };
  const client = createModelClient(once, { env, home, onRawEvent: (data) => payloads.push(data) });
  const ask = chat
    ? 'This is a connection test. Call the doctor_echo tool once with {"word": "ok"}. Do not answer in text.'
    : 'This is a connection test. Answer with the single word: ok';
  const input: ResponseItem[] = [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: ask }] }];
  const req: TurnRequest = { model, input, threadId: uuidv7(), signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(chat ? { tools: [PROBE_TOOL] } : {}) };
  const started = Date.now();
  let result;
  try {
    result = await collectTurn(client.stream(req));
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    const what = err.kind === 'aborted' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : errorLine(err);
    const fix = chat && err.status === 400 ? adviceForRejected(err.message) : null;
    r.fail('provider', `a test request to ${model.requested} (${provider.wire_api}) failed: ${what}`, fix ? `${fix.why}: set ${settingsLine(provider.id, [fix])}` : (err.hint ?? null));
    return;
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const text = result.items
    .filter((i) => i.type === 'message')
    .map((i) => messageText(i))
    .join(' ')
    .trim();
  const usage = result.usage ? `${result.usage.inputTokens} tokens in, ${result.usage.outputTokens} out` : 'no usage reported';
  const said = text ? `“${escapeLine(text.length > 60 ? `${text.slice(0, 59)}…` : text)}”` : result.stopReason === 'tool_calls' ? 'a tool call' : 'an empty answer';
  r.ok('provider', `a test request to ${model.requested} (${provider.wire_api}) answered in ${seconds} s: ${said} (${usage})`);
  if (chat) checkDialect(r, provider, client.dialect, payloads);
}

function checkDialect(r: Report, provider: ProviderInfo, dialect: ReturnType<typeof createModelClient>['dialect'], payloads: readonly string[]): void {
  const t = chatTraits(payloads);
  const details = [
    `tool-call arguments: ${t.argumentFragments === null ? 'unknown (no tool call)' : t.argumentFragments <= 1 ? 'whole, in one chunk' : `streamed in ${t.argumentFragments} fragments`}`,
    `tool-call ids: ${t.toolCallIds === null ? 'unknown (no tool call)' : t.toolCallIds ? 'sent' : 'missing (opencodex makes them up)'}`,
    `reasoning field: ${t.reasoningField ?? 'none seen'}`,
    `usage: ${t.usage === 'separate' ? 'a chunk of its own' : t.usage === 'finish' ? 'on the finish chunk' : 'none'}`,
    `dialect in effect: ${dialect.name}`,
  ];
  const advice = chatSettingAdvice(t, dialect);
  if (advice.length > 0) {
    r.warn('provider', 'Chat dialect: some settings do not fit this server', `set ${settingsLine(provider.id, advice)} (${advice.map((a) => a.why).join('; ')})`, details);
  } else r.ok('provider', 'Chat dialect: the settings in effect fit this server', details);
  if (t.toolCalls === 0) {
    r.warn('provider', 'the model answered without calling the test tool, so tool calling is unproven', 'use a model and server with tool calling (llama.cpp: --jinja; vLLM: --enable-auto-tool-choice --tool-call-parser …)');
  }
  if (t.usage === null) {
    r.warn('provider', 'the server reports no token usage', dialect.streamUsage ? 'nothing to set: token counts and auto-compaction fall back to estimates' : `try ${settingsLine(provider.id, [{ key: 'chat_stream_usage', value: true, why: '' }])}`);
  }
}

export async function checkProvider(r: Report, provider: ProviderInfo, model: ResolvedModel, home: string, env: NodeJS.ProcessEnv, authOk: boolean): Promise<void> {
  r.ok('provider', `${provider.id} (${provider.name}): wire_api ${provider.wire_api}, ${provider.base_url ?? 'the default base URL'}, model ${model.requested}`);
  if (!authOk) {
    r.warn('provider', 'not contacted: no key to send (see auth)', null);
    return;
  }
  if (!(await checkModels(r, provider, model, home, env))) return;
  await checkRequest(r, provider, model, home, env);
}
