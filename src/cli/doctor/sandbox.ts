/**
 * The doctor's sandbox checks: bwrap is there and can build a sandbox (user namespaces), and inside one a
 * command really has no capabilities, no network interface but loopback, and cannot write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/index.js';
import { applyEnvPolicy, BWRAP_INSTALL_HINT, detectBwrap, runCommand, sandboxPolicyFor } from '../../sandbox/index.js';
import { escapeLine } from '../../shared/index.js';
import type { Report } from './report.js';

/** What a sandboxed command reports about itself, between markers so bwrap's own lines cannot confuse it. */
const PROBE_SCRIPT = (dir: string): string =>
  [
    'echo "@cap $(grep "^CapEff:" /proc/self/status | cut -f2)"',
    'echo "@net $(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " " | tr "\\n" " ")"',
    `if (echo x > '${dir}/probe') 2>/dev/null; then echo "@write yes"; else echo "@write no"; fi`,
  ].join('; ');

export async function checkSandbox(r: Report, config: Config, cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const mode = config.sandbox_mode ?? 'read-only';
  // Without a sandbox in use, a missing one is worth knowing but breaks nothing.
  const severity = mode === 'danger-full-access' ? 'warn' : 'fail';
  r.ok('sandbox', `sandbox_mode ${mode}`);
  const status = detectBwrap({ pathEnv: env.PATH, cwd });
  if (!status.ok) {
    r.add('sandbox', severity, escapeLine(status.error.message), { fix: status.error.hint ?? BWRAP_INSTALL_HINT });
    return;
  }
  const { bwrap } = status;
  r.ok('sandbox', `bubblewrap ${bwrap.path}`);
  if (bwrap.isolation.includes('--unshare-user')) r.ok('sandbox', 'user namespaces: available');
  else r.warn('sandbox', 'user namespaces: not available to this user (running as root: capabilities are dropped, users are shared)', 'allow unprivileged user namespaces for a separate user namespace');

  const dir = mkdtempSync(join(tmpdir(), 'ocx-doctor-'));
  try {
    const policy = sandboxPolicyFor('read-only', {}, [], cwd);
    const result = await runCommand({ policy, argv: ['sh', '-c', PROBE_SCRIPT(dir)], cwd, root: cwd, env: applyEnvPolicy({}, env), pathEnv: env.PATH, timeoutMs: 10_000 });
    const field = (name: string): string | null => new RegExp(`^@${name} ?(.*)$`, 'm').exec(result.stdout)?.[1]?.trim() ?? null;
    const cap = field('cap');
    const net = field('net');
    const write = field('write');
    if (cap === null || net === null || write === null) {
      r.add('sandbox', severity, `a command in the sandbox did not run (exit ${result.exitCode})`, { fix: BWRAP_INSTALL_HINT, details: result.output.trim().split('\n').slice(0, 3).map(escapeLine) });
      return;
    }
    if (/^0+$/.test(cap)) r.ok('sandbox', 'capabilities: all dropped');
    else r.add('sandbox', severity, `capabilities: a sandboxed command keeps some (CapEff ${cap})`, { fix: 'report this with the output of `opencodex sandbox -- grep Cap /proc/self/status`' });
    const interfaces = net.split(/\s+/).filter((n) => n !== '');
    if (interfaces.every((n) => n === 'lo')) r.ok('sandbox', 'network: isolated (loopback only)');
    else r.add('sandbox', severity, `network: a sandboxed command sees ${interfaces.join(', ')}`, { fix: 'report this with the output of `opencodex sandbox -- cat /proc/net/dev`' });
    if (write === 'no') r.ok('sandbox', 'files: read-only outside the writable roots');
    else r.add('sandbox', severity, 'files: a read-only sandboxed command could write', { fix: 'report this with the output of `opencodex sandbox -- touch /tmp/x`' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
