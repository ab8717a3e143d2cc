/** The hosted web_search tool (codex-compat.md §4.2–4.3): chosen from config, the model and the provider. */
import type { ModelFacts } from '../../catalog/index.js';
import { webSearchMode, type ProviderInfo, type WebSearchMode } from '../../config/index.js';
import type { WebSearchTool } from '../../providers/index.js';
import type { SandboxPolicy } from '../../sandbox/index.js';

/**
 * The web_search tool spec, or null when it is not offered: `web_search = "disabled"`, or a provider
 * that does not take hosted tools (`supports_web_search`, and never over Chat Completions). `cached`
 * sends `external_web_access: false`, `live` true; the sandbox decides as `webSearchMode` says.
 */
export function webSearchTool(
  setting: WebSearchMode | undefined,
  sandbox: SandboxPolicy,
  provider: Pick<ProviderInfo, 'supports_web_search' | 'wire_api'>,
  facts: Pick<ModelFacts, 'webSearchToolType'>,
): WebSearchTool | null {
  if (!provider.supports_web_search || provider.wire_api !== 'responses') return null;
  const mode = webSearchMode(setting, sandbox.type);
  if (mode === 'disabled') return null;
  const tool: WebSearchTool = { type: 'web_search', external_web_access: mode === 'live' };
  if (facts.webSearchToolType === 'text_and_image') tool.search_content_types = ['text', 'image'];
  return tool;
}
