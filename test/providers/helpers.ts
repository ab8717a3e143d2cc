/** Shared pieces of the provider tests: providers pointed at the scripted server, models, event collection, the OpenAPI lint. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { FALLBACK_FACTS, type ModelFacts } from '../../src/catalog/index.js';
import { RETRY_DEFAULTS, type ProviderInfo } from '../../src/config/index.js';
import { createModelClient, type ModelClient, type ProviderEvent, type TurnRequest } from '../../src/providers/index.js';

export function makeProvider(url: string, extra: Partial<ProviderInfo> = {}): ProviderInfo {
  return {
    ...RETRY_DEFAULTS,
    id: 'scripted',
    name: 'Scripted',
    base_url: url,
    wire_api: 'responses',
    builtin: false,
    local: false,
    supports_web_search: false,
    supports_tool_namespaces: false,
    ...extra,
  };
}

/** A client with fast backoff so retry tests take milliseconds, not seconds. */
export function fastClient(provider: ProviderInfo, env: NodeJS.ProcessEnv = {}, baseDelayMs = 5): ModelClient {
  return createModelClient(provider, { env, home: '/nonexistent-opencodex-home', retry: { baseDelayMs } });
}

export const REASONING_FACTS: ModelFacts = {
  ...FALLBACK_FACTS,
  reasoningEfforts: ['low', 'medium', 'high'],
  defaultReasoningEffort: 'medium',
  supportsReasoningSummaries: true,
  defaultReasoningSummary: 'auto',
  parallelToolCalls: true,
  supportsVerbosity: true,
  defaultVerbosity: 'low',
};

export function request(extra: Partial<TurnRequest> = {}): TurnRequest {
  return {
    model: { requested: 'test-model', facts: FALLBACK_FACTS },
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hello' }] }],
    threadId: 'thread-1',
    ...extra,
  };
}

export async function collect(events: AsyncIterable<ProviderEvent>): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const ev of events) out.push(ev);
  return out;
}

export function last(events: ProviderEvent[]): ProviderEvent {
  const ev = events[events.length - 1];
  if (!ev) throw new Error('no events');
  return ev;
}

export function only<T extends ProviderEvent['type']>(events: ProviderEvent[], type: T): Array<Extract<ProviderEvent, { type: T }>> {
  return events.filter((e): e is Extract<ProviderEvent, { type: T }> => e.type === type);
}

type Json = unknown;

/**
 * The OpenAPI spec prepared for Ajv as test/fixtures/openai-openapi/SOURCE.md says: `nullable` stripped
 * (adding "null" to `type`), `oneOf` → `anyOf`. Also relaxed, as wire.md §7.1 documents, where the spec is
 * stricter than the live API for stateless replay: ids/status/annotations on replayed assistant messages
 * and ids on replayed reasoning items are not required (Codex sends neither, and OpenAI accepts that).
 */
function prepare(node: Json): Json {
  if (Array.isArray(node)) return node.map(prepare);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, Json> = {};
  const src = node as Record<string, Json>;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'nullable') continue;
    out[k === 'oneOf' ? 'anyOf' : k] = prepare(v);
  }
  if (src.nullable === true && typeof src.type === 'string') out.type = [src.type, 'null'];
  return out;
}

/** The official OpenAPI spec, vendored in the repository (see its SOURCE.md). */
export const OPENAPI_SPEC = resolve(import.meta.dirname, '../fixtures/openai-openapi/openapi.json');

let validator: ValidateFunction | undefined;

export function responsesRequestLint(): ValidateFunction {
  if (validator) return validator;
  const doc = prepare(JSON.parse(readFileSync(OPENAPI_SPEC, 'utf8'))) as {
    components: { schemas: Record<string, { required?: string[] }> };
  };
  const schemas = doc.components.schemas;
  const relax = (name: string, drop: string[]): void => {
    const s = schemas[name];
    if (s?.required) s.required = s.required.filter((r) => !drop.includes(r));
  };
  relax('OutputMessage', ['id', 'status']);
  relax('OutputTextContent', ['annotations', 'logprobs']);
  relax('ReasoningItem', ['id']);
  // Replayed web searches go without their id, as Codex sends them (store:false).
  relax('WebSearchToolCall', ['id']);
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema({ $id: 'openapi', components: doc.components });
  const v = ajv.getSchema('openapi#/components/schemas/CreateResponse');
  if (!v) throw new Error('CreateResponse schema not found');
  validator = v;
  return v;
}

export function lintResponsesBody(body: unknown): string[] {
  const v = responsesRequestLint();
  return v(body) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
