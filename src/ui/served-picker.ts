/**
 * The `/model` picker's "Served by <provider>" group. The picker opens at once with a dim "loading…"
 * line; the provider's model list (GET /models, short timeout) is added when it arrives, if the picker
 * is still open. A failure is a dim one-line note in the picker, never an error.
 */
import { listProviderModels } from '../providers/index.js';
import type { UiController } from './controller.js';
import { servedItems, type ModelChoice, type PickerItem } from './model-picker.js';

/** Starts fetching for the picker just opened with `items`; returns a function that stops the fetch. */
export function addServedModels(c: UiController, items: readonly PickerItem<ModelChoice>[]): () => void {
  const provider = c.settings.provider;
  const abort = new AbortController();
  let shown: readonly PickerItem<unknown>[] = items;
  const update = (next: readonly PickerItem<ModelChoice>[], note: string | undefined): void => {
    if (abort.signal.aborted) return;
    if (c.replacePickerItems(shown, next, note)) shown = next;
  };
  update(items, `loading the models ${provider.name} serves…`);
  listProviderModels(provider, { env: c.env, home: c.settings.loaded.home, signal: abort.signal }).then(
    ({ ids }) => {
      const extra = servedItems(c.settings.catalog, ids, provider.name, items);
      const note = extra.length > 0 ? undefined : ids.length === 0 ? `${provider.name} lists no models` : `${provider.name} serves no models besides these`;
      update([...items, ...extra], note);
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      update(items, `could not list the models ${provider.name} serves: ${message}`);
    },
  );
  return () => abort.abort();
}
