/** The web_search setting (codex-compat.md §2.3), the --search flag and the supports_web_search provider setting. */
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addGlobalOptions, globalOptions, loadOptions } from '../../src/cli/options.js';
import { describeConfig, loadConfig, resolveProvider, webSearchMode, type LoadOptions } from '../../src/config/index.js';
import { makeHome } from '../support/cli.js';

const row = (home: string, options: Omit<LoadOptions, 'home'> = {}) =>
  describeConfig(loadConfig({ home, ...options })).find((r) => r.key === 'web_search');

describe('web_search', () => {
  it('defaults to cached; a file, -c and --search set it, each shown with its source', () => {
    expect(row(makeHome())).toMatchObject({ value: 'cached', source: 'default' });
    const home = makeHome({ 'config.toml': 'web_search = "disabled"\n' });
    expect(row(home)).toMatchObject({ value: 'disabled', source: expect.stringMatching(/^file /) as unknown });
    expect(row(home, { overrides: ['web_search="live"'] })).toMatchObject({ value: 'live', source: '-c web_search="live"' });

    const program = addGlobalOptions(new Command()).exitOverride();
    program.parse(['--search', '-c', 'web_search="disabled"'], { from: 'user' });
    const options = loadOptions(globalOptions(program), home, false);
    expect(row(home, options)).toMatchObject({ value: 'live', source: 'flag --search' });
  });

  it('goes live under danger-full-access unless disabled', () => {
    expect(webSearchMode(undefined, 'read-only')).toBe('cached');
    expect(webSearchMode('cached', 'workspace-write')).toBe('cached');
    expect(webSearchMode(undefined, 'danger-full-access')).toBe('live');
    expect(webSearchMode('cached', 'danger-full-access')).toBe('live');
    expect(webSearchMode('disabled', 'danger-full-access')).toBe('disabled');
    expect(webSearchMode('live', 'read-only')).toBe('live');
  });
});

describe('supports_web_search', () => {
  it('is true for the built-in openai provider only, unless a provider sets it', () => {
    const home = makeHome({
      'config.toml': '[model_providers.gw]\nbase_url = "http://127.0.0.1:1/v1"\nsupports_web_search = true\n[model_providers.plain]\nbase_url = "http://127.0.0.1:1/v1"\n',
    });
    const loaded = loadConfig({ home });
    const supports = (id: string) => resolveProvider(loaded, {}, id).supports_web_search;
    expect(['openai', 'ollama', 'lmstudio', 'gw', 'plain'].map(supports)).toEqual([true, false, false, true, false]);
  });

  it('must be a boolean', () => {
    const home = makeHome({ 'config.toml': '[model_providers.gw]\nbase_url = "http://x/v1"\nsupports_web_search = "yes"\n' });
    expect(() => loadConfig({ home })).toThrow(/model_providers\.gw\.supports_web_search/);
  });
});
