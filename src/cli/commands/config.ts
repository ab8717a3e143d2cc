/** `opencodex config [--json]`: the effective configuration and where each value came from. */
import { describeConfig, formatValue } from '../../config/index.js';
import type { Settings } from '../settings.js';

export function configReport(settings: Settings, json: boolean): string {
  const rows = describeConfig(settings.loaded);
  const { loaded, provider, model } = settings;
  if (json) {
    return `${JSON.stringify(
      {
        home: loaded.home,
        config_file: loaded.configFile,
        profile: loaded.profile,
        provider: { id: provider.id, name: provider.name, wire_api: provider.wire_api, base_url: provider.base_url ?? null },
        model: { requested: model.requested, catalog_entry: model.entry?.slug ?? null, match: model.match.kind },
        values: rows,
      },
      null,
      2,
    )}\n`;
  }
  const header = [
    `# home: ${loaded.home}`,
    `# config file: ${loaded.configFile}`,
    `# profile: ${loaded.profile ? `${loaded.profile.name}${loaded.profile.legacy ? ' (legacy table)' : ` (${loaded.profile.path})`}` : 'none'}`,
    `# model: ${model.requested}${model.entry ? (model.entry.slug !== model.requested ? ` (catalog entry ${model.entry.slug})` : '') : ' (not in the catalog)'}`,
    `# provider: ${provider.id} (${provider.name}, wire_api ${provider.wire_api}${provider.base_url ? `, ${provider.base_url}` : ''})`,
  ];
  const lines = rows.map((r) => [`${r.key} = ${formatValue(r.value)}`, r.source] as const);
  const width = Math.min(60, Math.max(...lines.map(([kv]) => kv.length)));
  const body = lines.map(([kv, src]) => `${kv.padEnd(width)}  # ${src}`);
  return `${[...header, '', ...body].join('\n')}\n`;
}
