/**
 * What the command tools (`shell`, `shell_command`, `exec_command`) read the same way from the model's
 * arguments: the escalation request, the working directory, the shell. The arguments are untrusted: a
 * `workdir` only says where a command runs, never what it may write.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SandboxPermissions } from '../../sandbox/index.js';
import type { JsonObject } from '../../providers/index.js';

/** The approval parameters of every command tool. */
export const ESCALATION_PARAMS: JsonObject = {
  sandbox_permissions: {
    type: 'string',
    enum: ['use_default', 'require_escalated'],
    description: 'Set to "require_escalated" to ask the user to run this command outside the sandbox (see the permissions message).',
  },
  justification: { type: 'string', description: 'With require_escalated: one sentence on why the command needs it, shown to the user.' },
};

export interface Escalation {
  sandboxPermissions: SandboxPermissions | undefined;
  justification: string | undefined;
}

export function parseEscalation(a: Record<string, unknown>): Escalation {
  const perm = a.sandbox_permissions;
  const sandboxPermissions = perm === 'use_default' || perm === 'require_escalated' || perm === 'with_additional_permissions' ? perm : undefined;
  const justification = typeof a.justification === 'string' ? a.justification : undefined;
  return { sandboxPermissions, justification };
}

/**
 * The directory a command runs in: `workdir` resolved against the session's root, which must exist; the
 * root itself when none is given. A message for the model when it is not an existing directory.
 */
export function resolveWorkdir(root: string, workdir: unknown): { ok: true; dir: string } | { ok: false; message: string } {
  const dir = typeof workdir === 'string' && workdir !== '' ? resolve(root, workdir) : root;
  if (dir === root) return { ok: true, dir };
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // missing
  }
  return isDir ? { ok: true, dir } : { ok: false, message: `workdir ${dir} is not an existing directory; give an existing one (or leave workdir out to run in ${root})` };
}

/** The user's shell for scripts: zsh when $SHELL is zsh, else bash. */
export function defaultShell(env: NodeJS.ProcessEnv = process.env): string {
  return env.SHELL?.endsWith('zsh') ? 'zsh' : 'bash';
}
