/**
 * `opencodex config [--json]`: the effective configuration and where each value came from, the cwd's
 * project (its trust, its config files), and the keys opencodex ignores, each with why.
 */
import { describeConfig, formatValue, type ProjectInfo } from '../../config/index.js';
import type { Settings } from '../settings.js';

function projectLine(p: ProjectInfo | null): string {
  if (!p) return 'none';
  const trust = p.trust ? `${p.trust} (by [projects.${JSON.stringify(p.decidedBy)}])` : 'no trust decision';
  const files = p.files.length ? `; config files ${p.files.join(', ')}${p.trust === 'trusted' ? '' : ' (not loaded)'}` : '';
  return `${p.root}, ${trust}${files}`;
}

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
        project: loaded.project && {
          root: loaded.project.root,
          trust: loaded.project.trust,
          decided_by: loaded.project.decidedBy,
          trust_target: loaded.project.trustTarget,
          config_files: loaded.project.files.map((path) => ({ path, loaded: loaded.project?.trust === 'trusted' })),
        },
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
    `# project: ${projectLine(loaded.project)}`,
  ];
  const lines = rows.map((r) => [`${r.key} = ${formatValue(r.value)}`, `${r.source}${r.ignored ? ` — ignored: ${r.ignored}` : ''}${r.note ? ` — ${r.note}` : ''}`] as const);
  const width = Math.min(60, Math.max(...lines.map(([kv]) => kv.length)));
  const body = lines.map(([kv, src]) => `${kv.padEnd(width)}  # ${src}`);
  return `${[...header, '', ...body].join('\n')}\n`;
}
