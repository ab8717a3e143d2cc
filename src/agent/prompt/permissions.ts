/** The permissions message: what the sandbox allows and when the model may ask for approval. Our own wording. */
import type { ApprovalPolicyName, SandboxMode } from '../../config/index.js';

export interface PermissionsContext {
  sandboxMode: SandboxMode;
  approvalPolicy: ApprovalPolicyName;
  /** Absolute writable roots for workspace-write (cwd first). */
  writableRoots: readonly string[];
  networkAccess: boolean;
}

function sandboxText(p: PermissionsContext): string {
  switch (p.sandboxMode) {
    case 'read-only':
      return 'Sandbox: `read-only`. Commands may read any file but cannot write anywhere, and network access is disabled.';
    case 'workspace-write':
      return (
        'Sandbox: `workspace-write`. Commands may read any file and write only inside these directories: ' +
        `${p.writableRoots.map((r) => `\`${r}\``).join(', ')} (\`.git\` inside them stays read-only). ` +
        `Network access is ${p.networkAccess ? 'enabled' : 'disabled'}.`
      );
    case 'danger-full-access':
      return 'Sandbox: none (`danger-full-access`). Commands run with the user\'s full permissions and network access. Take extra care with anything destructive.';
  }
}

function approvalText(policy: ApprovalPolicyName): string {
  switch (policy) {
    case 'never':
      return 'Approval policy: `never`. You cannot ask the user for approval. When the sandbox blocks something, find a way that works inside it, or finish and tell the user what they need to run themselves. Never set `sandbox_permissions` to `require_escalated`.';
    case 'on-failure':
      return 'Approval policy: `on-failure`. Commands run inside the sandbox; if one fails, the user is asked whether to run it again without the sandbox. Do not ask for escalation yourself.';
    case 'on-request':
      return (
        'Approval policy: `on-request`. Commands run inside the sandbox. When a command that matters for the task needs more than the sandbox allows ' +
        '(writing outside the writable directories, network access, or it failed because of the sandbox), run it with `sandbox_permissions` set to `"require_escalated"` ' +
        'and a one-sentence `justification`; the user decides. Do not escalate for things the sandbox already allows, and never to get around a refusal.'
      );
    case 'untrusted':
      return 'Approval policy: `untrusted`. Known-safe read-only commands (such as `ls`, `cat`, `rg`, `git status`) run without asking; every other command needs the user\'s approval before it runs, so prefer fewer, well-chosen commands.';
  }
}

export function permissionsText(p: PermissionsContext): string {
  return `<permissions instructions>\n${sandboxText(p)}\n${approvalText(p.approvalPolicy)}\n</permissions instructions>`;
}

/** Recognizes a permissions message in a history. */
export const PERMISSIONS_START = /^<permissions instructions>\n/;
