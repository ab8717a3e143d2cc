/**
 * Hosted web searches in a turn: the server runs them, so there is nothing to dispatch. The turn loop
 * reports each one as a `web_search` item, started when the server begins it and completed when its
 * `web_search_call` item is done (codex-compat.md §6.2), with one `item_N` id for both.
 */
import type { JsonObject, JsonValue, WebSearchCallItem } from '../providers/index.js';
import type { AgentEvent, WebSearchAction, WebSearchItem } from './events.js';

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The action as front ends see it; an unknown or missing action is `other`. */
export function searchAction(raw: JsonObject | undefined): WebSearchAction {
  if (!raw) return { type: 'other' };
  const query = str(raw.query);
  const url = str(raw.url);
  const pattern = str(raw.pattern);
  switch (raw.type) {
    case 'search': {
      const queries = Array.isArray(raw.queries) ? raw.queries.filter((q): q is string => typeof q === 'string') : undefined;
      return { type: 'search', ...(query !== undefined ? { query } : {}), ...(queries !== undefined ? { queries } : {}) };
    }
    case 'open_page':
      return { type: 'open_page', ...(url !== undefined ? { url } : {}) };
    case 'find_in_page':
      return { type: 'find_in_page', ...(url !== undefined ? { url } : {}), ...(pattern !== undefined ? { pattern } : {}) };
    default:
      return { type: 'other' };
  }
}

/** One line for the action, as Codex words it: the query (the first of several, with ` ...`), the URL, or `'pattern' in url`. */
export function searchDetail(action: WebSearchAction): string {
  switch (action.type) {
    case 'search': {
      if (action.query) return action.query;
      const first = action.queries?.[0] ?? '';
      return (action.queries?.length ?? 0) > 1 && first !== '' ? `${first} ...` : first;
    }
    case 'open_page':
      return action.url ?? '';
    case 'find_in_page':
      if (action.pattern !== undefined) return action.url !== undefined ? `'${action.pattern}' in ${action.url}` : `'${action.pattern}'`;
      return action.url ?? '';
    case 'other':
      return '';
  }
}

/** Pairs the started and completed events of the searches in one turn. */
export class WebSearchTracker {
  /** Provider id → our item id, for searches that started. */
  private readonly ids = new Map<string, string>();
  private readonly done = new Set<string>();

  constructor(
    private readonly emit: (event: AgentEvent) => void,
    private readonly nextItemId: () => string,
  ) {}

  private item(search: WebSearchCallItem, providerId: string): WebSearchItem {
    let id = this.ids.get(providerId);
    if (id === undefined) {
      id = this.nextItemId();
      this.ids.set(providerId, id);
    }
    const action = searchAction(search.action);
    return { id, type: 'web_search', provider_id: providerId, query: searchDetail(action), action };
  }

  started(providerId: string, search: WebSearchCallItem): void {
    // A retried attempt streams the same search again: it is reported once.
    if (this.ids.has(providerId)) return;
    this.emit({ type: 'item.started', item: this.item(search, providerId) });
  }

  /** The finished search; announced as started first when its start was never seen. */
  completed(search: WebSearchCallItem): void {
    const providerId = search.id ?? '';
    if (this.done.has(providerId)) return;
    if (!this.ids.has(providerId)) this.started(providerId, search);
    this.done.add(providerId);
    this.emit({ type: 'item.completed', item: this.item(search, providerId) });
  }
}
