/**
 * A user catalog file (`model_catalog_json`). It replaces the shipped catalog, as Codex's does, unless it
 * says `"mode": "extend"`, in which case its entries add to the shipped ones or refine them by slug.
 * Entries may use our field names or Codex's ModelInfo names (`supported_reasoning_levels`,
 * `default_reasoning_level`, `support_verbosity`, `truncation_policy`), so a Codex catalog file works.
 */
import * as z from 'zod';
import { ConfigError, describeIssue, issuePath } from '../shared/index.js';
import { SHIPPED_CATALOG, unknownFacts } from './data.js';
import {
  INPUT_MODALITIES,
  MODEL_STATUSES,
  REASONING_EFFORTS,
  REASONING_SUMMARIES,
  VERBOSITIES,
  type Catalog,
  type ModelEntry,
} from './types.js';

const unknownLit = z.literal('unknown');
const tri = z.union([z.boolean(), unknownLit]);
const effort = z.enum(REASONING_EFFORTS);
const count = z.number().int().positive();
const usd = z.union([z.number().nonnegative(), unknownLit]);
const rating = z.union([z.number().int().min(1).max(5), unknownLit]);
const truncation = z.object({ mode: z.enum(['bytes', 'tokens']), limit: count });

const entrySchema = z.object({
  slug: z.string().min(1),
  display_name: z.string().optional(),
  description: z.string().optional(),
  status: z.enum(MODEL_STATUSES).optional(),
  preview: z.boolean().optional(),
  successor: z.string().min(1).nullable().optional(),
  capability: rating.optional(),
  speed: rating.optional(),
  input_modalities: z.union([z.array(z.enum(INPUT_MODALITIES)).min(1), unknownLit]).optional(),
  context_window: z.union([count, unknownLit]).optional(),
  max_context_window: z.union([count, unknownLit]).optional(),
  reasoning_efforts: z.union([z.array(effort), unknownLit]).optional(),
  supported_reasoning_levels: z.array(z.union([effort, z.object({ effort })])).optional(),
  default_reasoning_effort: z.union([effort, z.null(), unknownLit]).optional(),
  default_reasoning_level: z.union([effort, z.null()]).optional(),
  supports_reasoning_summaries: tri.optional(),
  default_reasoning_summary: z.union([z.enum(REASONING_SUMMARIES), unknownLit]).optional(),
  apply_patch_tool_type: z.union([z.enum(['freeform', 'function']), z.null(), unknownLit]).optional(),
  shell_type: z.union([z.enum(['shell_command', 'default', 'unified_exec']), unknownLit]).optional(),
  web_search_tool_type: z.union([z.enum(['text', 'text_and_image']), unknownLit]).optional(),
  supports_parallel_tool_calls: tri.optional(),
  supports_verbosity: tri.optional(),
  support_verbosity: z.boolean().optional(),
  default_verbosity: z.union([z.enum(VERBOSITIES), z.null(), unknownLit]).optional(),
  truncation: z.union([truncation, unknownLit]).optional(),
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
  priority: z.number().optional(),
});

const fileSchema = z.object({
  mode: z.enum(['replace', 'extend']).optional(),
  default_model: z.string().min(1).optional(),
  small_model: z.string().min(1).nullable().optional(),
  models: z.array(entrySchema),
});

type FileEntry = z.infer<typeof entrySchema>;

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
  set('capability', e.capability);
  set('speed', e.speed);
  set('input_modalities', e.input_modalities);
  set('context_window', e.context_window);
  set('max_context_window', e.max_context_window);
  set('reasoning_efforts', e.supported_reasoning_levels?.map((l) => (typeof l === 'string' ? l : l.effort)));
  set('reasoning_efforts', e.reasoning_efforts);
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

/** Parses and validates a catalog file's text into the effective catalog. `path` is for messages only. */
export function catalogFromFile(path: string, text: string, shipped: Catalog = SHIPPED_CATALOG): Catalog {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `model catalog ${path} is not valid JSON: ${(err as Error).message}`,
      'fix the file or remove model_catalog_json from the config',
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issuePath(issue.path) || '(top level)' : '(top level)';
    const what = issue ? describeIssue(issue, json) : 'is invalid';
    throw new ConfigError(
      `model catalog ${path} does not validate: ${where} ${what}`,
      'see "Model catalog files" in the README for the format',
    );
  }
  const file = parsed.data;
  const extend = file.mode === 'extend';
  const models: ModelEntry[] = extend ? shipped.models.map((m) => ({ ...m })) : [];
  // Codex orders its catalog by `priority`; entries without one keep their place after those with one.
  const rank = (e: FileEntry) => e.priority ?? Number.MAX_SAFE_INTEGER;
  const ordered = [...file.models].sort((a, b) => rank(a) - rank(b));
  for (const e of ordered) {
    const i = models.findIndex((m) => m.slug === e.slug);
    if (i >= 0) models[i] = applyEntry(models[i] as ModelEntry, e);
    else models.push(applyEntry({ slug: e.slug, display_name: '', description: '', status: 'alternative', ...unknownFacts() }, e));
  }
  const firstCurrent = models.find((m) => m.status !== 'retired')?.slug;
  const defaultModel = file.default_model ?? (extend ? shipped.default_model : firstCurrent);
  if (!defaultModel) {
    throw new ConfigError(`model catalog ${path} lists no current model`, 'add a model whose status is not "retired", or set "default_model"');
  }
  const small = file.small_model !== undefined ? file.small_model : extend ? shipped.small_model : null;
  return { default_model: defaultModel, small_model: small, models };
}
