/**
 * Input schemas as servers send them, made acceptable to strict providers: an object schema that
 * lists `properties` (some servers leave out the type, the properties, or send no schema at all).
 */
import type { McpJsonObject, McpJsonValue } from './types.js';

const isObject = (v: unknown): v is McpJsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

export function normalizeInputSchema(schema: unknown): McpJsonObject {
  const out: McpJsonObject = isObject(schema) ? { ...schema } : {};
  out.type = 'object';
  if (!isObject(out.properties)) out.properties = {};
  if (out.required !== undefined && !(Array.isArray(out.required) && out.required.every((r: McpJsonValue) => typeof r === 'string'))) {
    delete out.required;
  }
  return out;
}
