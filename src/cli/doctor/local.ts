/** The doctor's checks of this machine and its files: install, config, auth, disk space and git. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeConfig, type LoadedConfig, type ProviderInfo } from '../../config/index.js';
import { maskKey, resolveCredentials, type Credentials } from '../../providers/index.js';
import { escapeLine, findProjectRoot, isUserError, VERSION } from '../../shared/index.js';
import type { Report } from './report.js';

export function checkInstall(r: Report, env: NodeJS.ProcessEnv): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 20) r.ok('install', `Node ${process.version} (${process.execPath})`);
  else r.fail('install', `Node ${process.version} is too old: opencodex needs Node 20 or newer`, 'install Node 20+ (https://nodejs.org), then reinstall opencodex');
  const entry = process.argv[1] ?? '';
  const dist = entry ? dirname(entry) : '';
  const bundle = dist && existsSync(`${dist}/exec.cjs`) && existsSync(`${dist}/run.mjs`);
  if (bundle) r.ok('install', `opencodex ${VERSION} (bundle ${dist})`);
  else r.warn('install', `opencodex ${VERSION}, run from ${entry || 'an unknown entry point'} (not the built bundle)`, 'run `npm run build` in the checkout, or install the package');
  if (env.OPENCODEX_HOME) r.ok('install', `OPENCODEX_HOME=${escapeLine(env.OPENCODEX_HOME)}`);
}

/** Config files read (with how many settings each gave), keys ignored and keys not known. */
export function checkConfig(r: Report, loaded: LoadedConfig): void {
  const rows = describeConfig(loaded);
  try {
    accessSync(loaded.home, constants.W_OK);
    r.ok('config', `home ${loaded.home}`);
  } catch {
    if (existsSync(loaded.home)) r.warn('config', `home ${loaded.home} is not writable: sessions and history cannot be recorded`, 'fix its permissions, or use --ephemeral');
    else r.ok('config', `home ${loaded.home} (made on first use)`);
  }
  const counts = new Map<string, number>();
  for (const row of rows) {
    const m = /^(file|project config|profile \S+) (.*)$/.exec(row.source);
    if (m) counts.set(row.source, (counts.get(row.source) ?? 0) + 1);
  }
  if (!existsSync(loaded.configFile)) r.ok('config', `no ${loaded.configFile}: every setting is a default`);
  const files = [...counts].map(([source, n]) => `${source} (${n} setting${n === 1 ? '' : 's'})`);
  if (files.length > 0) r.ok('config', `${files.length} config file${files.length === 1 ? '' : 's'} read`, files);
  const project = loaded.project;
  if (project && project.files.length > 0 && project.trust !== 'trusted') {
    r.warn('config', `project config not loaded: ${project.root} is not trusted`, `trust it (answer the question in the interactive session, or trust_level = "trusted" under [projects."${project.trustTarget}"])`, project.files);
  }
  // Set somewhere (not a default) and known to Codex; unknown keys are reported below.
  const ignored = rows.filter((row) => row.ignored && !row.ignored.startsWith('not a known key') && !row.source.startsWith('default'));
  if (ignored.length > 0) {
    r.ok('config', `${ignored.length} setting${ignored.length === 1 ? '' : 's'} accepted and ignored (Codex features opencodex does not have)`, ignored.map((row) => `${row.key}: ${row.ignored ?? ''} (${row.source})`));
  }
  if (loaded.unknown.length > 0) {
    const lines = loaded.unknown.map((u) => `${u.path.join('.')}${u.suggestion ? ` (did you mean ${u.suggestion}?)` : ''}`);
    r.warn('config', `${loaded.unknown.length} unrecognized setting${loaded.unknown.length === 1 ? '' : 's'}, left out`, 'fix or remove them (--strict-config makes them an error)', lines);
  }
}

/** Which key a request carries, masked, and where it comes from. */
export async function checkAuth(r: Report, provider: ProviderInfo, home: string, env: NodeJS.ProcessEnv): Promise<Credentials | null> {
  try {
    const creds = await resolveCredentials(provider, { env, home, exec: false });
    if (creds.token) r.ok('auth', `key ${maskKey(creds.token)} from ${creds.source}`);
    else if (provider.local) r.ok('auth', `no key (${provider.name} is a local server)`);
    else r.ok('auth', 'no key is sent (the provider names none)');
    return creds;
  } catch (err) {
    if (!isUserError(err)) throw err;
    r.fail('auth', escapeLine(err.message), err.hint ?? null);
    return null;
  }
}

const GB = 1024 ** 3;

export function checkDisk(r: Report, home: string): void {
  let dir = home;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  let free: number;
  try {
    const s = statfsSync(dir);
    free = s.bavail * s.bsize;
  } catch (err) {
    r.warn('disk', `cannot tell the free space at ${dir}: ${(err as Error).message}`, null);
    return;
  }
  const amount = free >= GB ? `${(free / GB).toFixed(1)} GB` : `${Math.round(free / 1024 ** 2)} MB`;
  if (free < 100 * 1024 ** 2) r.fail('disk', `${amount} free at ${dir}`, 'free some space: session files stop being written when the disk is full');
  else if (free < GB) r.warn('disk', `only ${amount} free at ${dir}`, 'free some space: long sessions need room for their files');
  else r.ok('disk', `${amount} free at ${dir}`);
}

export function checkGit(r: Report, cwd: string, env: NodeJS.ProcessEnv): void {
  const v = spawnSync('git', ['--version'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
  if (v.error || v.status !== 0) {
    r.warn('git', 'git was not found on PATH', 'install git: `exec review` needs it, and so does the model for most repository work');
  } else r.ok('git', v.stdout.trim());
  const root = findProjectRoot(cwd, ['.git']);
  if (root !== null) r.ok('git', `${cwd} is in the repository ${root}`);
  else r.warn('git', `${cwd} is not inside a git repository`, '`opencodex exec` refuses to run here without --skip-git-repo-check');
}
