/** The web search mode a session uses (codex-compat.md §2.3). */
import type { SandboxMode, WebSearchMode } from './schema.js';

/** What a session actually does: no search, searches of the provider's cache, or live searches. */
export type EffectiveWebSearch = Exclude<WebSearchMode, 'indexed'>;

/**
 * `web_search` (default `cached`), upgraded to `live` when commands run without a sandbox
 * (danger-full-access), as Codex does; `disabled` always stays off. Codex 0.171's `indexed` (live queries,
 * but page fetches only through the search index, a request field no other server takes) runs as
 * `cached`, its nearest meaning that stays inside the index, and is never upgraded to `live`.
 */
export function webSearchMode(setting: WebSearchMode | undefined, sandbox: SandboxMode): EffectiveWebSearch {
  const mode = setting ?? 'cached';
  if (mode === 'indexed') return 'cached';
  return mode !== 'disabled' && sandbox === 'danger-full-access' ? 'live' : mode;
}
