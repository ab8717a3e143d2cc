/** `[shell_environment_policy]`, step by step, and the sandbox markers. */
import { describe, expect, it } from 'vitest';
import { applyEnvPolicy, globMatcher, sandboxMarkers, sandboxPolicyFor } from '../../src/sandbox/index.js';

const source = {
  HOME: '/home/u',
  PATH: '/usr/bin',
  USER: 'u',
  TMPDIR: '/tmp/u',
  OPENAI_API_KEY: 'sk-1',
  GH_TOKEN: 'gh',
  aws_secret_access_key: 'aws',
  EDITOR: 'vi',
  LANG: 'C.UTF-8',
  LC_ALL: 'en_US.UTF-8',
};

describe('globMatcher', () => {
  it('is case-insensitive with * and ?, and literal otherwise', () => {
    expect(globMatcher('*key*')('OPENAI_API_KEY')).toBe(true);
    expect(globMatcher('LAN?')('lang')).toBe(true);
    expect(globMatcher('LAN?')('LANGUAGE')).toBe(false);
    expect(globMatcher('A.B')('AXB')).toBe(false);
    expect(globMatcher('A.B')('a.b')).toBe(true);
  });
});

describe('applyEnvPolicy', () => {
  it('inherits everything by default, secrets included (ignore_default_excludes defaults to true)', () => {
    expect(applyEnvPolicy({}, source)).toEqual(source);
  });

  it('inherit = core keeps only the core variables, the locale among them; none keeps nothing', () => {
    expect(applyEnvPolicy({ inherit: 'core' }, source)).toEqual({ HOME: '/home/u', PATH: '/usr/bin', USER: 'u', TMPDIR: '/tmp/u', LANG: 'C.UTF-8', LC_ALL: 'en_US.UTF-8' });
    expect(applyEnvPolicy({ inherit: 'none' }, source)).toEqual({});
  });

  it('drops *KEY*, *SECRET*, *TOKEN* (any case) when ignore_default_excludes = false', () => {
    const env = applyEnvPolicy({ ignore_default_excludes: false }, source);
    expect(Object.keys(env).sort()).toEqual(['EDITOR', 'HOME', 'LANG', 'LC_ALL', 'PATH', 'TMPDIR', 'USER']);
  });

  it('applies exclude, then set, then include_only', () => {
    const env = applyEnvPolicy(
      { exclude: ['ED*'], set: { EDITOR: 'nano', GH_TOKEN: 'set-after-excludes', EXTRA: '1' }, include_only: ['ed*', 'gh_*', 'PATH'] },
      source,
    );
    // `set` runs after the excludes (EDITOR comes back) and before include_only (EXTRA is filtered out).
    expect(env).toEqual({ EDITOR: 'nano', GH_TOKEN: 'set-after-excludes', PATH: '/usr/bin' });
  });

  it('set values survive the default excludes', () => {
    const env = applyEnvPolicy({ inherit: 'none', ignore_default_excludes: false, set: { MY_TOKEN: 'x' } }, source);
    expect(env).toEqual({ MY_TOKEN: 'x' });
  });
});

describe('sandboxMarkers', () => {
  it('marks sandboxed children and says when the network is off', () => {
    const off = { OPENCODEX_SANDBOX: 'bwrap', CODEX_SANDBOX: 'bwrap', OPENCODEX_SANDBOX_NETWORK_DISABLED: '1', CODEX_SANDBOX_NETWORK_DISABLED: '1' };
    expect(sandboxMarkers(sandboxPolicyFor('read-only'))).toEqual(off);
    expect(sandboxMarkers(sandboxPolicyFor('workspace-write'))).toEqual(off);
    expect(sandboxMarkers(sandboxPolicyFor('workspace-write', { network_access: true }))).toEqual({ OPENCODEX_SANDBOX: 'bwrap', CODEX_SANDBOX: 'bwrap' });
    expect(sandboxMarkers(sandboxPolicyFor('danger-full-access'))).toEqual({});
  });
});
