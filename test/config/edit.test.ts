import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { loadConfig, modelSaveTarget, removeTomlTable, replaceConfigTable, saveConfigKeys, setTomlKeys } from '../../src/config/index.js';

const set = (text: string, values: Record<string, string>, table: string[] = []) => setTomlKeys(text, table, values);

describe('setTomlKeys', () => {
  it('replaces a root value in place and keeps comments and the trailing comment', () => {
    const text = '# my config\nmodel = "gpt-5" # the usual\n\n# providers\n[model_providers.x]\nbase_url = "http://x"\n';
    expect(set(text, { model: 'gpt-5.4' })).toBe('# my config\nmodel = "gpt-5.4" # the usual\n\n# providers\n[model_providers.x]\nbase_url = "http://x"\n');
  });

  it('adds a missing root key after the last root entry, before the first table', () => {
    const text = 'model = "a"\n# about x\n[x]\nmodel_reasoning_effort = "low"\n';
    const out = set(text, { model_reasoning_effort: 'high' });
    expect(out).toBe('model = "a"\nmodel_reasoning_effort = "high"\n# about x\n[x]\nmodel_reasoning_effort = "low"\n');
    expect(parse(out)).toEqual({ model: 'a', model_reasoning_effort: 'high', x: { model_reasoning_effort: 'low' } });
  });

  it('adds keys to an empty or missing document and to a file with only tables', () => {
    expect(set('', { model: 'm', model_reasoning_effort: 'low' })).toBe('model = "m"\nmodel_reasoning_effort = "low"\n');
    expect(parse(set('[t]\na = 1\n', { model: 'm' }))).toEqual({ model: 'm', t: { a: 1 } });
  });

  it('does not touch keys of the same name inside tables, multi-line arrays or strings', () => {
    const text = 'notify = [\n  "model = \\"x\\"",\n  # model = "y"\n]\ndeveloper_instructions = """\nmodel = "z"\n"""\n[profiles.p]\nmodel = "q"\n';
    const out = set(text, { model: 'new' });
    const parsed = parse(out) as Record<string, unknown>;
    expect(parsed.model).toBe('new');
    expect(parsed.notify).toEqual(['model = "x"']);
    expect(parsed.developer_instructions).toBe('model = "z"\n');
    expect((parsed.profiles as Record<string, Record<string, string>>).p?.model).toBe('q');
  });

  it('edits a named table, adding it when missing', () => {
    const text = 'model = "a"\n[profiles.fast]\nmodel = "b"\n';
    expect(set(text, { model: 'c', model_reasoning_effort: 'low' }, ['profiles', 'fast'])).toBe('model = "a"\n[profiles.fast]\nmodel = "c"\nmodel_reasoning_effort = "low"\n');
    expect(parse(set('model = "a"', { model: 'z' }, ['profiles', 'new']))).toEqual({ model: 'a', profiles: { new: { model: 'z' } } });
  });

  it('keeps CRLF line ends and quoted keys', () => {
    expect(set('"model" = "a"\r\nx = 1\r\n', { model: 'b', model_reasoning_effort: 'high' })).toBe('"model" = "b"\r\nx = 1\r\nmodel_reasoning_effort = "high"\r\n');
  });

  it('replaces bare and non-string values', () => {
    expect(set('model = 5   # odd\n', { model: 'x' })).toBe('model = "x"   # odd\n');
    expect(set("model = 'lit'\n", { model: 'x"y' })).toBe('model = "x\\"y"\n');
  });
});

describe('saveConfigKeys and modelSaveTarget', () => {
  it('saves into config.toml, or into the active profile file', () => {
    const home = mkdtempSync(join(tmpdir(), 'ocx-edit-'));
    writeFileSync(join(home, 'config.toml'), '# keep me\nmodel = "gpt-5.4"\n');
    writeFileSync(join(home, 'fast.config.toml'), '# profile\nmodel_reasoning_effort = "low"\n');
    const plain = modelSaveTarget(loadConfig({ home }));
    expect(plain).toEqual({ path: join(home, 'config.toml'), table: [], profile: null });
    saveConfigKeys(plain.path, plain.table, { model: 'gpt-5.4-mini', model_reasoning_effort: 'high' });
    expect(readFileSync(join(home, 'config.toml'), 'utf8')).toBe('# keep me\nmodel = "gpt-5.4-mini"\nmodel_reasoning_effort = "high"\n');

    const prof = modelSaveTarget(loadConfig({ home, profile: 'fast' }));
    expect(prof).toEqual({ path: join(home, 'fast.config.toml'), table: [], profile: 'fast' });
    saveConfigKeys(prof.path, prof.table, { model: 'gpt-5.2', model_reasoning_effort: 'medium' });
    expect(readFileSync(join(home, 'fast.config.toml'), 'utf8')).toBe('# profile\nmodel_reasoning_effort = "medium"\nmodel = "gpt-5.2"\n');
  });

  it('targets the legacy [profiles.NAME] table and creates a missing file', () => {
    const home = mkdtempSync(join(tmpdir(), 'ocx-edit-'));
    writeFileSync(join(home, 'config.toml'), '[profiles.old]\nmodel = "a"\n');
    const legacy = modelSaveTarget(loadConfig({ home, profile: 'old' }));
    expect(legacy.table).toEqual(['profiles', 'old']);
    const fresh = join(home, 'sub', 'new.toml');
    saveConfigKeys(fresh, [], { model: 'm' });
    expect(readFileSync(fresh, 'utf8')).toBe('model = "m"\n');
  });
});

describe('arrays, inline tables and table removal', () => {
  const doc =
    '# top\nmodel = "x"\n\n# server a\n[mcp_servers.a]\ncommand = "a" # why\nargs = ["1"]\n\n[mcp_servers.a.env]\nK = "v"\n\n# about b\n[mcp_servers.b]\nurl = "http://b"\n';

  it('writes string arrays, inline tables of strings, numbers and booleans', () => {
    const out = setTomlKeys('model = "x"\n', ['mcp_servers', 'c'], { command: 'node', args: ['a b', 'q"'], env: { K: 'V', 'A.B': 'x' }, startup_timeout_sec: 2.5, required: true });
    expect(out).toBe('model = "x"\n\n[mcp_servers.c]\ncommand = "node"\nargs = ["a b", "q\\""]\nenv = { K = "V", "A.B" = "x" }\nstartup_timeout_sec = 2.5\nrequired = true\n');
    expect(parse(out)).toEqual({ model: 'x', mcp_servers: { c: { command: 'node', args: ['a b', 'q"'], env: { K: 'V', 'A.B': 'x' }, startup_timeout_sec: 2.5, required: true } } });
  });

  it('removes a table with its subtables and keeps the comment that belongs to the next table', () => {
    expect(removeTomlTable(doc, ['mcp_servers', 'a'])).toBe('# top\nmodel = "x"\n\n# about b\n[mcp_servers.b]\nurl = "http://b"\n');
    expect(removeTomlTable(doc, ['mcp_servers', 'b'])).toBe('# top\nmodel = "x"\n\n# server a\n[mcp_servers.a]\ncommand = "a" # why\nargs = ["1"]\n\n[mcp_servers.a.env]\nK = "v"\n\n');
    expect(removeTomlTable(doc, ['mcp_servers', 'zzz'])).toBe(doc);
  });

  it('removes a table written as dotted keys or inline', () => {
    const text = 'mcp_servers.z.command = "q"\nmcp_servers.z.args = []\n[mcp_servers]\nw = { command = "x" }\ny = 1\n';
    expect(removeTomlTable(text, ['mcp_servers', 'z'])).toBe('[mcp_servers]\nw = { command = "x" }\ny = 1\n');
    expect(removeTomlTable(text, ['mcp_servers', 'w'])).toBe('mcp_servers.z.command = "q"\nmcp_servers.z.args = []\n[mcp_servers]\ny = 1\n');
  });

  it('replaceConfigTable replaces a table (old keys do not linger), removes one, and says whether it existed', () => {
    const home = mkdtempSync(join(tmpdir(), 'ocx-edit-'));
    const path = join(home, 'config.toml');
    writeFileSync(path, doc);
    expect(replaceConfigTable(path, ['mcp_servers', 'a'], { url: 'http://a' })).toBe(true);
    expect(parse(readFileSync(path, 'utf8'))).toEqual({ model: 'x', mcp_servers: { a: { url: 'http://a' }, b: { url: 'http://b' } } });
    expect(readFileSync(path, 'utf8')).toContain('# about b\n[mcp_servers.b]');
    expect(replaceConfigTable(path, ['mcp_servers', 'b'], null)).toBe(true);
    expect(replaceConfigTable(path, ['mcp_servers', 'b'], null)).toBe(false);
    expect(parse(readFileSync(path, 'utf8'))).toEqual({ model: 'x', mcp_servers: { a: { url: 'http://a' } } });
  });
});
