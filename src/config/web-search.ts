/** The web search mode a session uses (codex-compat.md §2.3). */
import type { SandboxMode, WebSearchMode } from './schema.js';

/**
 * `web_search` (default `cached`), upgraded to `live` when commands run without a sandbox
 * (danger-full-access), as Codex does; `disabled` always stays off.
 */
export function webSearchMode(setting: WebSearchMode | undefined, sandbox: SandboxMode): WebSearchMode {
  const mode = setting ?? 'cached';
  return mode !== 'disabled' && sandbox === 'danger-full-access' ? 'live' : mode;
}
