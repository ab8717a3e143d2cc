/** `opencodex models [--all] [--json] [MODEL]`: the model catalog (see served-models.ts for --provider). */
import {
  lookupModel,
  SURFACE_LABELS,
  successorChain,
  type Catalog,
  type ModelEntry,
  type Surfaces,
  type Tri,
} from '../../catalog/index.js';
import { UsageError } from '../../shared/index.js';
import { renderTable } from '../table.js';

/** The command that selects a model, always generated from its slug. */
export const useCommand = (slug: string): string => `opencodex -m ${slug}`;

export interface ModelsOptions {
  all?: boolean;
  json?: boolean;
}

const STATUS_ORDER = { recommended: 0, alternative: 1, retired: 2 } as const;

export function listedModels(catalog: Catalog, all: boolean): ModelEntry[] {
  return catalog.models
    .filter((m) => all || (m.status !== 'retired' && !m.hidden))
    .map((m, i) => ({ m, i }))
    .sort((a, b) => STATUS_ORDER[a.m.status] - STATUS_ORDER[b.m.status] || a.i - b.i)
    .map(({ m }) => m);
}

function tokens(n: number | 'unknown'): string {
  if (n === 'unknown') return '?';
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000) return `${Math.round(n / 1000)}k`;
  return String(n);
}

export function context(m: ModelEntry): string {
  const base = tokens(m.context_window);
  if (m.max_context_window !== 'unknown' && m.max_context_window !== m.context_window) {
    return `${base} (max ${tokens(m.max_context_window)})`;
  }
  return base;
}

export function efforts(m: ModelEntry): string {
  if (m.reasoning_efforts === 'unknown') return '?';
  if (m.reasoning_efforts.length === 0) return '-';
  return m.reasoning_efforts.map((e) => (e === m.default_reasoning_effort ? `${e}*` : e)).join(' ');
}

function status(catalog: Catalog, m: ModelEntry): string {
  const parts: string[] = [m.status];
  if (m.slug === catalog.default_model) parts.push('default');
  if (m.preview) parts.push('preview');
  if (m.hidden) parts.push('hidden');
  if (m.status === 'retired') {
    const chain = successorChain(catalog, m.slug);
    parts[0] = chain.length > 1 ? `retired → ${chain[1]}` : 'retired';
  }
  return parts.join(', ');
}

const rating = (r: number | 'unknown') => (r === 'unknown' ? '?' : `${r}/5`);
const tri = (t: Tri) => (t === 'unknown' ? '?' : t ? 'yes' : 'no');
export const modalities = (m: ModelEntry) => (m.input_modalities === 'unknown' ? '?' : m.input_modalities.join('+'));

/** What `opencodex models` says about where its list and default come from. */
export interface CatalogContext {
  /** The model the config chooses (which wins over the catalog's default), and where that is set. */
  configured?: { slug: string; source: string } | undefined;
  /** A model_catalog_url whose catalog was never fetched. */
  unfetchedUrl?: string | undefined;
}

export function catalogName(catalog: Catalog): string {
  const o = catalog.origin;
  if (o.kind === 'shipped') return 'the shipped catalog';
  if (o.kind === 'file') return o.path;
  return `${o.url} (fetched ${o.fetched_at})`;
}

/** Why the catalog's default is the default, in words. */
export function defaultReason(catalog: Catalog): string {
  const from = catalogName(catalog);
  switch (catalog.default_from) {
    case 'shipped':
      return "the shipped catalog's recommendation";
    case 'default_model':
      return `"default_model" in ${from}`;
    case 'priority':
      return `the lowest priority among the listed models of ${from}, as Codex picks`;
    case 'first':
      return `the first current model of ${from}`;
  }
}

export function catalogLines(catalog: Catalog, ctx: CatalogContext = {}): string[] {
  const lines = [`default model: ${catalog.default_model} — ${defaultReason(catalog)}`];
  if (ctx.configured && ctx.configured.slug !== catalog.default_model) {
    lines.push(`your config chooses ${ctx.configured.slug} (${ctx.configured.source}), which is used instead`);
  }
  // Otherwise the reason above already names the catalog.
  if (catalog.origin.kind !== 'shipped' && catalog.default_from === 'shipped') lines.push(`catalog: the shipped one, extended by ${catalogName(catalog)}`);
  if (ctx.unfetchedUrl) lines.push(`model_catalog_url ${ctx.unfetchedUrl} is not fetched yet: opencodex models --refresh`);
  return lines;
}

export function modelsTable(catalog: Catalog, all: boolean, ctx: CatalogContext = {}): string {
  const rows = listedModels(catalog, all).map((m) => [
    m.slug,
    status(catalog, m),
    rating(m.capability),
    rating(m.speed),
    context(m),
    modalities(m),
    efforts(m),
    tri(m.surfaces.api),
    useCommand(m.slug),
  ]);
  const table = renderTable(['MODEL', 'STATUS', 'CAPABILITY', 'SPEED', 'CONTEXT', 'INPUT', 'EFFORTS', 'API', 'USE'], rows);
  const retired = all ? 0 : catalog.models.filter((m) => m.status === 'retired').length;
  const hidden = all ? 0 : catalog.models.filter((m) => m.status !== 'retired' && m.hidden).length;
  const more = [retired ? `retired models (${retired})` : null, hidden ? `hidden models (${hidden})` : null].filter((x) => x !== null);
  const legend = [
    '* default reasoning effort   ? not stated by our sources',
    `details: opencodex models <model>${more.length ? `   ${more.join(' and ')}: opencodex models --all` : ''}`,
    ...catalogLines(catalog, ctx),
  ];
  return `${table}\n${legend.join('\n')}\n`;
}

/** The JSON form: the catalog entries shown, each with the command that selects it. */
export function modelsJson(catalog: Catalog, all: boolean): string {
  const models = listedModels(catalog, all).map((m) => ({
    ...m,
    default: m.slug === catalog.default_model,
    successor_chain: m.status === 'retired' ? successorChain(catalog, m.slug).slice(1) : [],
    use: useCommand(m.slug),
  }));
  const head = {
    default_model: catalog.default_model,
    default_from: catalog.default_from,
    default_reason: defaultReason(catalog),
    catalog: catalog.origin,
    small_model: catalog.small_model,
  };
  return `${JSON.stringify({ ...head, models }, null, 2)}\n`;
}

function surfaceLines(s: Surfaces): string {
  return (Object.keys(SURFACE_LABELS) as Array<keyof Surfaces>).map((k) => `${SURFACE_LABELS[k]}: ${tri(s[k])}`).join(', ');
}

function usd(v: number | 'unknown') {
  return v === 'unknown' ? '?' : `$${v}`;
}

export function modelDetail(catalog: Catalog, requested: string, json: boolean): string {
  const resolved = lookupModel(catalog, requested);
  const m = resolved.entry;
  if (!m) {
    throw new UsageError(
      `model ${requested} is not in the catalog`,
      'run `opencodex models --all` to see the catalog; other models still work with safe defaults',
    );
  }
  if (json) {
    return `${JSON.stringify({ requested, matched: m.slug, match: resolved.match.kind, model: { ...m, use: useCommand(m.slug) } }, null, 2)}\n`;
  }
  const lines = [
    `${m.slug} — ${m.display_name}${resolved.requested !== m.slug ? `   (matched from ${requested})` : ''}`,
    `  ${m.description}`,
    `  status:       ${status(catalog, m)}`,
  ];
  if (m.status === 'retired') lines.push(`  successors:   ${successorChain(catalog, m.slug).join(' → ')}`);
  if (m.upgrade) lines.push(`  upgrade:      ${m.upgrade} (suggested by the catalog)`);
  if (m.access_note) lines.push(`  access:       ${m.access_note}`);
  lines.push(
    `  capability:   ${rating(m.capability)}    speed: ${rating(m.speed)}`,
    `  context:      ${context(m)} tokens`,
    `  input:        ${modalities(m)}`,
    `  efforts:      ${efforts(m)}`,
    `  summaries:    ${tri(m.supports_reasoning_summaries)}    verbosity: ${tri(m.supports_verbosity)}${m.default_verbosity !== 'unknown' && m.default_verbosity ? ` (default ${m.default_verbosity})` : ''}`,
    `  tools:        apply_patch ${m.apply_patch_tool_type === null ? 'none' : m.apply_patch_tool_type === 'unknown' ? '?' : m.apply_patch_tool_type}, shell ${m.shell_type === 'unknown' ? '?' : m.shell_type}, parallel calls ${tri(m.supports_parallel_tool_calls)}, web search ${m.web_search_tool_type === 'unknown' ? '?' : m.web_search_tool_type.replace(/_/g, ' ')}`,
    `  price/1M:     input ${usd(m.price.input)}, cached input ${usd(m.price.cached_input)}, output ${usd(m.price.output)}`,
    `  surfaces:     ${surfaceLines(m.surfaces)}`,
    `  use:          ${useCommand(m.slug)}`,
  );
  return `${lines.join('\n')}\n`;
}
