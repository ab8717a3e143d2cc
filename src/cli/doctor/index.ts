/**
 * `opencodex doctor [--json]`: why opencodex does or does not work here, on one screen. Install, config
 * (files read, ignored and unknown keys), auth (the key used, masked, and its source), the provider
 * (reachable, GET /models, one tiny real request on the configured wire, and a Chat server's dialect),
 * the sandbox (bwrap, user namespaces, capabilities, network, writes), disk space and git. Exit 1 when a
 * check fails. A config that does not load is itself a failed check: the other checks still run.
 */
import { isUserError, escapeLine } from '../../shared/index.js';
import type { Settings } from '../settings.js';
import { checkAuth, checkConfig, checkDisk, checkGit, checkInstall } from './local.js';
import { checkProvider } from './provider.js';
import { formatReport, Report, reportJson, type CheckStatus } from './report.js';
import { checkSandbox } from './sandbox.js';

export { Report, formatReport, reportJson, type Check, type CheckStatus } from './report.js';

export interface DoctorOptions {
  json: boolean;
  color: boolean;
  cwd: string;
  home: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs every check and prints the report; returns the exit status (1 when something failed). */
export async function runDoctor(load: () => Promise<Settings>, o: DoctorOptions): Promise<number> {
  const env = o.env ?? process.env;
  const r = new Report();
  checkInstall(r, env);
  let settings: Settings | null = null;
  try {
    settings = await load();
  } catch (err) {
    if (!isUserError(err)) throw err;
    r.fail('config', `the configuration does not load: ${escapeLine(err.message)}`, err.hint ?? null);
  }
  if (settings) {
    checkConfig(r, settings.loaded);
    for (const n of settings.notices) if (!/unrecognized configuration setting/.test(n)) r.warn('config', escapeLine(n.replace(/^(warning|note): /, '')), null);
    const creds = await checkAuth(r, settings.provider, settings.loaded.home, env);
    await checkProvider(r, settings.provider, settings.model, settings.loaded.home, env, creds !== null);
    await checkSandbox(r, settings.loaded.config, o.cwd, env);
  } else {
    r.warn('provider', 'not checked: the configuration does not load', null);
    await checkSandbox(r, {}, o.cwd, env);
  }
  checkDisk(r, settings?.loaded.home ?? o.home);
  checkGit(r, o.cwd, env);
  const colors: Record<CheckStatus, string> = { ok: '32', warn: '33', fail: '31' };
  const paint = (s: CheckStatus, t: string): string => (o.color ? `\u001b[${colors[s]}m${t}\u001b[39m` : t);
  process.stdout.write(o.json ? reportJson(r) : formatReport(r, paint));
  return r.failed ? 1 : 0;
}
