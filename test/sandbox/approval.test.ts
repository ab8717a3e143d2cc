/** The approval decision table of codex-compat.md §5.3, case by case, and the session around it. */
import { describe, expect, it } from 'vitest';
import type { ApprovalPolicyName, ApprovalPolicySetting, LoadedConfig } from '../../src/config/index.js';
import { loadConfig } from '../../src/config/index.js';
import {
  afterSandboxDenial,
  ApprovalSession,
  decideCommand,
  decidePatch,
  execApprovalPolicy,
  nonInteractiveApprover,
  policyForChoice,
  sandboxPolicyFor,
  type ApprovalAnswer,
  type ApprovalQuestion,
  type Approver,
  type CommandDecision,
  type SandboxPermissions,
} from '../../src/sandbox/index.js';
import { makeHome, makeWorkspace } from './helpers.js';

const readOnly = sandboxPolicyFor('read-only');
const workspace = sandboxPolicyFor('workspace-write');
const full = sandboxPolicyFor('danger-full-access');

const SAFE = ['ls', '-la'];
const PLAIN = ['npm', 'test'];
const DANGEROUS = ['rm', '-rf', 'build'];

type Expect = 'run' | 'run-unsandboxed' | 'ask' | 'ask-unsandboxed' | 'reject';
function outcome(d: CommandDecision): Expect {
  if (d.action === 'run') return d.sandbox === 'policy' ? 'run' : 'run-unsandboxed';
  if (d.action === 'ask') return d.sandboxIfApproved === 'policy' ? 'ask' : 'ask-unsandboxed';
  return 'reject';
}
const decide = (policy: ApprovalPolicySetting, sandbox = workspace, argv = PLAIN, perms: SandboxPermissions = 'use_default'): Expect =>
  outcome(decideCommand(policy, sandbox, { argv, cwd: '/w', sandboxPermissions: perms }));

describe('decideCommand: §5.3 table', () => {
  // [policy, command, sandbox_permissions, sandbox, expected]
  const table: Array<[ApprovalPolicyName, string[], SandboxPermissions, typeof workspace, Expect]> = [
    // untrusted: ask unless known-safe; dangerous asks; no escalation requests.
    ['untrusted', SAFE, 'use_default', workspace, 'run'],
    ['untrusted', PLAIN, 'use_default', workspace, 'ask'],
    ['untrusted', PLAIN, 'use_default', full, 'ask'],
    ['untrusted', DANGEROUS, 'use_default', workspace, 'ask'],
    ['untrusted', PLAIN, 'require_escalated', workspace, 'reject'],
    // on-failure: run in the sandbox; dangerous asks.
    ['on-failure', SAFE, 'use_default', workspace, 'run'],
    ['on-failure', PLAIN, 'use_default', workspace, 'run'],
    ['on-failure', PLAIN, 'use_default', readOnly, 'run'],
    ['on-failure', DANGEROUS, 'use_default', workspace, 'ask'],
    ['on-failure', PLAIN, 'require_escalated', workspace, 'reject'],
    // on-request: run in the sandbox; ask only for escalation; unrestricted runs; dangerous asks.
    ['on-request', SAFE, 'use_default', workspace, 'run'],
    ['on-request', PLAIN, 'use_default', workspace, 'run'],
    ['on-request', PLAIN, 'use_default', readOnly, 'run'],
    ['on-request', PLAIN, 'require_escalated', workspace, 'ask-unsandboxed'],
    ['on-request', PLAIN, 'with_additional_permissions', readOnly, 'ask-unsandboxed'],
    ['on-request', PLAIN, 'require_escalated', full, 'run'],
    ['on-request', DANGEROUS, 'use_default', workspace, 'ask'],
    ['on-request', DANGEROUS, 'use_default', full, 'ask'],
    ['on-request', DANGEROUS, 'require_escalated', workspace, 'ask-unsandboxed'],
    ['on-request', SAFE, 'require_escalated', workspace, 'run'],
    // never: run in the sandbox; dangerous is forbidden unless the sandbox is off; no escalation.
    ['never', SAFE, 'use_default', readOnly, 'run'],
    ['never', PLAIN, 'use_default', workspace, 'run'],
    ['never', DANGEROUS, 'use_default', workspace, 'reject'],
    ['never', DANGEROUS, 'use_default', readOnly, 'reject'],
    ['never', DANGEROUS, 'use_default', full, 'run'],
    ['never', PLAIN, 'require_escalated', workspace, 'reject'],
  ];
  for (const [policy, argv, perms, sandbox, expected] of table) {
    it(`${policy} · ${argv.join(' ')} · ${perms} · ${sandbox.type} → ${expected}`, () => {
      expect(decide(policy, sandbox, argv, perms)).toBe(expected);
    });
  }

  it('known-safe scripts count as known-safe; other scripts do not', () => {
    expect(decide('untrusted', workspace, ['bash', '-lc', 'ls && git status'])).toBe('run');
    expect(decide('untrusted', workspace, ['bash', '-lc', 'ls > files.txt'])).toBe('ask');
    expect(decide('never', workspace, ['bash', '-lc', 'ls; rm -rf /'])).toBe('reject');
  });

  it('a granular policy behaves like on-request and refuses sandbox questions when sandbox_approval = false', () => {
    expect(decide({ granular: { sandbox_approval: true } }, workspace, PLAIN, 'require_escalated')).toBe('ask-unsandboxed');
    expect(decide({ granular: { sandbox_approval: false } }, workspace, PLAIN, 'require_escalated')).toBe('reject');
    expect(decide({ granular: { sandbox_approval: false } }, workspace, PLAIN)).toBe('run');
  });

  it('tells the model why, in words it can act on', () => {
    const never = decideCommand('never', workspace, { argv: DANGEROUS, cwd: '/w' });
    expect(never.action === 'reject' && never.message).toMatch(/approval policy is never/);
    const esc = decideCommand('untrusted', workspace, { argv: PLAIN, cwd: '/w', sandboxPermissions: 'require_escalated' });
    expect(esc.action === 'reject' && esc.message).toMatch(/without sandbox_permissions/);
  });
});

describe('afterSandboxDenial', () => {
  it('asks to retry without the sandbox under untrusted and on-failure; reports the failure otherwise', () => {
    expect(afterSandboxDenial('untrusted')).toBe('ask-retry-without-sandbox');
    expect(afterSandboxDenial('on-failure')).toBe('ask-retry-without-sandbox');
    expect(afterSandboxDenial('on-request')).toBe('report-failure');
    expect(afterSandboxDenial('never')).toBe('report-failure');
  });
});

describe('decidePatch (assess_patch_safety)', () => {
  const fx = makeWorkspace();
  const ws = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [], fx.ws);
  const inside = [{ kind: 'add' as const, path: 'a.txt' }];
  const outside = [{ kind: 'add' as const, path: '../outside/a.txt' }];
  const act = (policy: ApprovalPolicyName, sandbox: typeof ws, changes: typeof inside): string =>
    decidePatch(policy, sandbox, changes, { root: fx.ws, cwd: fx.ws }, {}).action;

  it('untrusted always asks', () => {
    expect(act('untrusted', ws, inside)).toBe('ask');
    expect(act('untrusted', full, inside)).toBe('ask');
  });
  it('inside the writable roots applies under on-failure, on-request and never', () => {
    for (const p of ['on-failure', 'on-request', 'never'] as const) expect(act(p, ws, inside)).toBe('apply');
    for (const p of ['on-failure', 'on-request', 'never'] as const) expect(act(p, full, outside)).toBe('apply');
  });
  it('outside asks, or is rejected under never with the reason Codex gives', () => {
    expect(act('on-request', ws, outside)).toBe('ask');
    expect(act('on-failure', ws, outside)).toBe('ask');
    const never = decidePatch('never', ws, outside, { root: fx.ws, cwd: fx.ws }, {});
    expect(never.action === 'reject' && never.message).toBe('patch rejected: writing outside of the project; rejected by user approval settings');
    const ro = decidePatch('never', readOnly, inside, { root: fx.ws, cwd: fx.ws }, {});
    expect(ro.action === 'reject' && ro.message).toBe('patch rejected: writing is blocked by read-only sandbox; rejected by user approval settings');
    expect(act('on-request', readOnly, inside)).toBe('ask');
  });
  it('an empty patch is rejected', () => {
    expect(act('on-request', ws, [])).toBe('reject');
  });
});

/** An approver that answers from a script and records the questions. */
function scripted(...answers: ApprovalAnswer[]): Approver & { questions: ApprovalQuestion[] } {
  const questions: ApprovalQuestion[] = [];
  return {
    questions,
    ask: async (q) => {
      questions.push(q);
      return { answer: answers.shift() ?? 'deny' };
    },
  };
}

describe('ApprovalSession', () => {
  it('approve once asks again; approve for session does not; deny tells the model', async () => {
    const approver = scripted('approve-once', 'approve-session', 'deny');
    const s = new ApprovalSession({ policy: 'untrusted', sandbox: workspace, root: '/w', approver });
    const req = { argv: PLAIN, cwd: '/w' };
    expect(await s.authorizeCommand(req)).toEqual({ run: true, sandbox: 'policy' });
    expect(await s.authorizeCommand(req)).toEqual({ run: true, sandbox: 'policy' });
    expect(await s.authorizeCommand(req)).toEqual({ run: true, sandbox: 'policy' });
    expect(approver.questions).toHaveLength(2);
    expect(await s.authorizeCommand({ argv: ['make'], cwd: '/w' })).toEqual({ run: false, message: 'exec command rejected by user' });
    expect(await s.authorizeCommand({ argv: SAFE, cwd: '/w' })).toEqual({ run: true, sandbox: 'policy' });
    expect(approver.questions).toHaveLength(3);
  });

  it('escalation under on-request asks with the justification and runs unsandboxed once approved', async () => {
    const approver = scripted('approve-once');
    const s = new ApprovalSession({ policy: 'on-request', sandbox: workspace, root: '/w', approver });
    const auth = await s.authorizeCommand({ argv: ['npm', 'install'], cwd: '/w', sandboxPermissions: 'require_escalated', justification: 'needs the network' });
    expect(auth).toEqual({ run: true, sandbox: 'none' });
    expect(approver.questions[0]).toMatchObject({ kind: 'command', justification: 'needs the network', sandbox: 'none', retryWithoutSandbox: false });
    expect(auth.run && policyForChoice(workspace, auth.sandbox)).toEqual({ type: 'danger-full-access' });
  });

  it('retries without the sandbox only where the policy says so', async () => {
    const approver = scripted('approve-session');
    const onFailure = new ApprovalSession({ policy: 'on-failure', sandbox: workspace, root: '/w', approver });
    expect(await onFailure.authorizeRetryWithoutSandbox({ argv: PLAIN, cwd: '/w' })).toEqual({ retry: true });
    expect(approver.questions[0]).toMatchObject({ retryWithoutSandbox: true, sandbox: 'none' });
    // Approved for the session without the sandbox: the same command is not asked about again.
    expect(await onFailure.authorizeRetryWithoutSandbox({ argv: PLAIN, cwd: '/w' })).toEqual({ retry: true });
    expect(approver.questions).toHaveLength(1);
    const onRequest = new ApprovalSession({ policy: 'on-request', sandbox: workspace, root: '/w', approver: scripted('approve-once') });
    expect(await onRequest.authorizeRetryWithoutSandbox({ argv: PLAIN, cwd: '/w' })).toEqual({ retry: false });
  });

  it('a non-interactive run declines every question with a message the model can act on', async () => {
    const fx = makeWorkspace();
    const s = new ApprovalSession({ policy: 'untrusted', sandbox: workspace, root: fx.ws, approver: nonInteractiveApprover() });
    const cmd = await s.authorizeCommand({ argv: PLAIN, cwd: fx.ws });
    expect(cmd.run).toBe(false);
    expect(!cmd.run && cmd.message).toMatch(/non-interactive.*sandbox allows/);
    const patch = await s.authorizePatch([{ kind: 'add', path: 'x' }], fx.ws);
    expect(!patch.apply && patch.message).toMatch(/non-interactive/);
  });

  it('patch approval for the session covers later patches to the same files', async () => {
    const fx = makeWorkspace();
    const approver = scripted('approve-session');
    const sandbox = sandboxPolicyFor('workspace-write', { exclude_slash_tmp: true, exclude_tmpdir_env_var: true }, [], fx.ws);
    const s = new ApprovalSession({ policy: 'on-request', sandbox, root: fx.ws, approver, env: {} });
    expect(await s.authorizePatch([{ kind: 'add', path: 'inside.txt' }], fx.ws)).toEqual({ apply: true });
    expect(approver.questions).toHaveLength(0);
    const out = [{ kind: 'add' as const, path: '../outside/x.txt' }];
    expect(await s.authorizePatch(out, fx.ws)).toEqual({ apply: true });
    expect(await s.authorizePatch(out, fx.ws)).toEqual({ apply: true });
    expect(approver.questions).toHaveLength(1);
    expect(await s.authorizePatch([{ kind: 'add', path: '../outside/y.txt' }], fx.ws)).toEqual({ apply: false, message: 'patch rejected by user' });
  });
});

describe('execApprovalPolicy', () => {
  const load = (overrides: string[], files: Record<string, string> = {}): LoadedConfig =>
    loadConfig({ home: makeHome(files), overrides, env: {} });

  it('is never unless approval_policy was given with -c', () => {
    expect(execApprovalPolicy(load([]))).toBe('never');
    expect(execApprovalPolicy(load([], { 'config.toml': 'approval_policy = "untrusted"\n' }))).toBe('never');
    expect(execApprovalPolicy(load(['approval_policy=untrusted']))).toBe('untrusted');
  });
});
