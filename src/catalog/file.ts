/**
 * A catalog file: `model_catalog_json`, or a catalog fetched from `model_catalog_url`. It replaces the
 * shipped catalog, as Codex's does, unless it says `"mode": "extend"`, in which case its entries add to
 * the shipped ones or refine them by slug. Entries may use our field names or Codex's ModelInfo names
 * (`supported_reasoning_levels`, `default_reasoning_level`, `support_verbosity`, `truncation_policy`,
 * `visibility`, `upgrade`), so `codex debug models` output loads unchanged. Fields we do not know are
 * ignored, and a value we do not know for a fact we do (a newer Codex's effort, shell type, …) is dropped
 * from a list or makes that fact 'unknown': never fatal. A wrong type is still an error.
 */
import * as z from 'zod';
import { ConfigError, describeIssue, issuePath } from '../shared/index.js';
import { SHIPPED_CATALOG } from './data.js';
import { unknownFacts } from './entry.js';
import {
  INPUT_MODALITIES,
  MODEL_STATUSES,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  SHELL_TYPES,
  VERBOSITIES,
  type Catalog,
  type CatalogOrigin,
  type DefaultFrom,
  type ModelEntry,
} from './types.js';

const unknownLit = z.literal('unknown');
const tri = z.union([z.boolean(), unknownLit]);
const count = z.number().int().positive();
const usd = z.union([z.number().nonnegative(), unknownLit]);
const rating = z.union([z.number().int().min(1).max(5), unknownLit]);

const isOneOf = <T extends string>(values: readonly T[], v: string): v is T => (values as readonly string[]).includes(v);

/** A string naming one of `values`; any other string (a value from a newer Codex) becomes 'unknown'. */
function lenient<T extends string>(values: readonly T[]) {
  return z.string().transform((v): T | 'unknown' => (isOneOf(values, v) ? v : 'unknown'));
}

/** A list of strings, keeping those that name one of `values` (others come from a newer Codex). */
function knownOnly<T extends string>(values: readonly T[], items: readonly string[]): T[] {
  return items.filter((v): v is T => isOneOf(values, v));
}

const effort = lenient(REASONING_EFFORTS);
const effortList = z.array(z.union([z.string(), z.looseObject({ effort: z.string() })]));
const truncation = z.union([
  z.object({ mode: lenient(['bytes', 'tokens'] as const), limit: count }).transform((t) => (t.mode === 'unknown' ? ('unknown' as const) : { mode: t.mode, limit: t.limit })),
  unknownLit,
]);

const entrySchema = z.object({
  slug: z.string().min(1),
  display_name: z.string().optional(),
  description: z.string().optional(),
  status: z.enum(MODEL_STATUSES).optional(),
  preview: z.boolean().optional(),
  successor: z.string().min(1).nullable().optional(),
  upgrade: z.union([z.string().min(1), z.looseObject({ model: z.string().min(1) }), z.null()]).optional(),
  priority: z.union([z.number(), unknownLit]).optional(),
  hidden: z.boolean().optional(),
  visibility: z.string().optional(),
  capability: rating.optional(),
  speed: rating.optional(),
  input_modalities: z.union([z.array(z.string()).min(1), unknownLit]).optional(),
  context_window: z.union([count, unknownLit]).optional(),
  max_context_window: z.union([count, unknownLit]).optional(),
  reasoning_efforts: z.union([effortList, unknownLit]).optional(),
  supported_reasoning_levels: effortList.optional(),
  default_reasoning_effort: z.union([effort, z.null()]).optional(),
  default_reasoning_level: z.union([effort, z.null()]).optional(),
  supports_reasoning_summaries: tri.optional(),
  default_reasoning_summary: lenient(REASONING_SUMMARIES).optional(),
  apply_patch_tool_type: z.union([lenient(['freeform', 'function'] as const), z.null()]).optional(),
  shell_type: lenient(SHELL_TYPES).optional(),
  web_search_tool_type: lenient(['text', 'text_and_image'] as const).optional(),
  supports_parallel_tool_calls: tri.optional(),
  supports_verbosity: tri.optional(),
  support_verbosity: z.boolean().optional(),
  default_verbosity: z.union([lenient(VERBOSITIES), z.null()]).optional(),
  truncation: truncation.optional(),
  truncation_policy: truncation.optional(),
  price: z.object({ input: usd.optional(), cached_input: usd.optional(), output: usd.optional() }).optional(),
  surfaces: z
    .object({
      cli_sdk: tri.optional(),
      ide_extension: tri.optional(),
      cloud: tri.optional(),
      chatgpt_credits: tri.optional(),
      api: tri.optional(),
    })
    .optional(),
  supported_in_api: z.boolean().optional(),
  access_note: z.string().nullable().optional(),
});

const fileSchema = z.object({
  mode: z.enum(['replace', 'extend']).optional(),
  default_model: z.string().min(1).optional(),
  small_model: z.string().min(1).nullable().optional(),
  models: z.array(entrySchema),
});

type FileEntry = z.infer<typeof entrySchema>;

const effortsOf = (list: z.infer<typeof effortList>) =>
  knownOnly(REASONING_EFFORTS, list.map((l) => (typeof l === 'string' ? l : l.effort)));

/** Applies a file entry (ours or Codex's field names) on top of a base entry. */
function applyEntry(base: ModelEntry, e: FileEntry): ModelEntry {
  const out: ModelEntry = { ...base, price: { ...base.price }, surfaces: { ...base.surfaces } };
  const set = <K extends keyof ModelEntry>(key: K, value: ModelEntry[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('display_name', e.display_name);
  set('description', e.description);
  set('status', e.status);
  set('preview', e.preview);
  set('successor', e.successor);
  set('upgrade', e.upgrade === undefined || e.upgrade === null || typeof e.upgrade === 'string' ? e.upgrade : e.upgrade.model);
  set('priority', e.priority);
  if (e.visibility !== undefined) out.hidden = e.visibility !== 'list';
  set('hidden', e.hidden);
  set('capability', e.capability);
  set('speed', e.speed);
  if (e.input_modalities !== undefined) {
    const known = e.input_modalities === 'unknown' ? [] : knownOnly(INPUT_MODALITIES, e.input_modalities);
    out.input_modalities = known.length > 0 ? known : 'unknown';
  }
  set('context_window', e.context_window);
  set('max_context_window', e.max_context_window);
  if (e.supported_reasoning_levels !== undefined) out.reasoning_efforts = effortsOf(e.supported_reasoning_levels);
  if (e.reasoning_efforts !== undefined) out.reasoning_efforts = e.reasoning_efforts === 'unknown' ? 'unknown' : effortsOf(e.reasoning_efforts);
  set('default_reasoning_effort', e.default_reasoning_level);
  set('default_reasoning_effort', e.default_reasoning_effort);
  set('supports_reasoning_summaries', e.supports_reasoning_summaries);
  set('default_reasoning_summary', e.default_reasoning_summary);
  set('apply_patch_tool_type', e.apply_patch_tool_type);
  set('shell_type', e.shell_type);
  set('web_search_tool_type', e.web_search_tool_type);
  set('supports_parallel_tool_calls', e.supports_parallel_tool_calls);
  set('supports_verbosity', e.support_verbosity);
  set('supports_verbosity', e.supports_verbosity);
  set('default_verbosity', e.default_verbosity);
  set('truncation', e.truncation_policy);
  set('truncation', e.truncation);
  set('access_note', e.access_note);
  if (e.supported_in_api !== undefined) out.surfaces.api = e.supported_in_api;
  for (const [k, v] of Object.entries(e.price ?? {})) if (v !== undefined) out.price[k as keyof ModelEntry['price']] = v;
  for (const [k, v] of Object.entries(e.surfaces ?? {})) if (v !== undefined) out.surfaces[k as keyof ModelEntry['surfaces']] = v;
  if (out.display_name === '') out.display_name = e.slug;
  return out;
}

/**
 * The default of a replacing catalog, as Codex picks it: the listed (not hidden) current model with the
 * lowest `priority`, preferring those usable with an API key; without priorities, the first such model.
 */
function pickDefault(models: readonly ModelEntry[]): { slug: string; from: DefaultFrom } | null {
  const current = models.filter((m) => m.status !== 'retired');
  const listed = current.filter((m) => !m.hidden);
  const pool = [listed.filter((m) => m.surfaces.api !== false), listed, current].find((p) => p.length > 0) ?? [];
  const ranked = pool.filter((m) => m.priority !== 'unknown').sort((a, b) => (a.priority as number) - (b.priority as number));
  const byPriority = ranked[0];
  if (byPriority) return { slug: byPriority.slug, from: 'priority' };
  const first = pool[0];
  return first ? { slug: first.slug, from: 'first' } : null;
}

function where(origin: CatalogOrigin, path: string): { name: string; fix: string } {
  if (origin.kind === 'cache') return { name: `model catalog from ${origin.url}`, fix: 'fix the catalog the server publishes, or remove model_catalog_url from the config' };
  return { name: `model catalog ${path}`, fix: 'fix the file or remove model_catalog_json from the config' };
}

/**
 * Parses and validates a catalog file's text into the effective catalog. `path` names it in messages;
 * `origin` says where it came from (a file by default).
 */
export function catalogFromFile(path: string, text: string, origin: CatalogOrigin = { kind: 'file', path }): Catalog {
  const shipped = SHIPPED_CATALOG;
  const named = where(origin, path);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${named.name} is not valid JSON: ${(err as Error).message}`, named.fix);
  }
  const parsed = fileSchema.safeParse(json, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue ? issuePath(issue.path) || '(top level)' : '(top level)';
    const what = issue ? describeIssue(issue, json) : 'is invalid';
    throw new ConfigError(`${named.name} does not validate: ${at} ${what}`, 'see "Model catalog files" in the README for the format');
  }
  const file = parsed.data;
  const extend = file.mode === 'extend';
  const models: ModelEntry[] = extend ? shipped.models.map((m) => ({ ...m })) : [];
  // Codex orders its catalog by `priority`; entries without one keep their place after those with one.
  const rank = (e: FileEntry) => (typeof e.priority === 'number' ? e.priority : Number.MAX_SAFE_INTEGER);
  const ordered = [...file.models].sort((a, b) => rank(a) - rank(b));
  for (const e of ordered) {
    const i = models.findIndex((m) => m.slug === e.slug);
    if (i >= 0) models[i] = applyEntry(models[i] as ModelEntry, e);
    else models.push(applyEntry({ slug: e.slug, display_name: '', description: '', status: 'alternative', ...unknownFacts() }, e));
  }
  let chosen: { slug: string; from: DefaultFrom } | null;
  if (file.default_model !== undefined) chosen = { slug: file.default_model, from: 'default_model' };
  else if (extend) chosen = { slug: shipped.default_model, from: shipped.default_from };
  else chosen = pickDefault(models);
  if (!chosen) {
    throw new ConfigError(`${named.name} lists no current model`, 'add a model whose status is not "retired", or set "default_model"');
  }
  const small = file.small_model !== undefined ? file.small_model : extend ? shipped.small_model : null;
  return { default_model: chosen.slug, default_from: chosen.from, origin, small_model: small, models };
}
