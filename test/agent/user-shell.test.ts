/**
 * A user's `!cmd` (runUserShellCommand): the session's sandbox (real bubblewrap) and approval policy
 * apply, the command is shown as a command item, and Codex's <user_shell_command> record is added to
 * the history the next request sends.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, runUserShellCommand, userShellRecord, type Agent } from '../../src/agent/index.js';
import { lookupModel, SHIPPED_CATALOG } from '../../src/catalog/index.js';
import { loadConfig, resolveProvider, type ApprovalPolicySetting } from '../../src/config/index.js';
import type { ApprovalQuestion } from '../../src/sandbox/index.js';
import { makeHome } from '../support/cli.js';

type Json = Record<string, unknown>;

function setup(policy: ApprovalPolicySetting, answer: 'approve-once' | 'deny') {
  const cwd = mkdtempSync(join(tmpdir(), 'ocx-ushell-'));
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\nsandbox_mode = "workspace-write"\n[sandbox_workspace_write]\nexclude_slash_tmp = true\nexclude_tmpdir_env_var = true\n[model_providers.mock]\nname = "Mock"\nbase_url = "http://127.0.0.1:9/v1"\nenv_key = "MOCK_KEY"\n`,
  });
  const env = { PATH: process.env.PATH, HOME: cwd, MOCK_KEY: 'k' };
  const loaded = loadConfig({ home, env });
  const asked: ApprovalQuestion[] = [];
  const agent: Agent = createAgent({
    loaded,
    model: lookupModel(SHIPPED_CATALOG, 'gpt-5.4'),
    provider: resolveProvider(loaded, env),
    cwd,
    addDirs: [],
    approvalPolicy: policy,
    approver: {
      ask: async (q) => {
        asked.push(q);
        return { answer };
      },
    },
    exec: false,
    env,
  });
  const events: Json[] = [];
  const run = (command: string) =>
    runUserShellCommand({ command, agent, cwd, config: loaded.config, env }, { signal: new AbortController().signal, emit: (e) => events.push(e as unknown as Json) });
  const userTexts = (): string[] =>
    agent.session.history
      .filter((i) => i.type === 'message' && i.role === 'user')
      .map((i) => ((i as { content: Array<{ text?: string }> }).content ?? []).map((c) => c.text ?? '').join(''));
  return { cwd, agent, asked, events, run, userTexts };
}

describe('a user shell command', () => {
  it('runs in the session sandbox, shows as a command item and is recorded for the model', async () => {
    const t = setup('on-failure', 'deny');
    const outside = mkdtempSync(join(tmpdir(), 'ocx-ushell-out-'));
    const out = await t.run(`echo made > inside.txt && cat inside.txt && touch ${outside}/escaped`);
    expect(out.ran).toBe(true);
    expect(existsSync(join(t.cwd, 'inside.txt'))).toBe(true);
    expect(existsSync(join(outside, 'escaped'))).toBe(false); // the sandbox held, and the retry outside it was declined
    expect(t.asked.map((q) => q.kind === 'command' && q.retryWithoutSandbox)).toEqual([true]);
    const started = t.events.find((e) => e.type === 'item.started') as { item: Json } | undefined;
    expect(started?.item).toMatchObject({ type: 'command_execution', status: 'in_progress' });
    const done = t.events.find((e) => e.type === 'item.completed') as { item: Json } | undefined;
    expect(done?.item).toMatchObject({ type: 'command_execution', status: 'failed' });
    expect(String(done?.item.aggregated_output)).toContain('made');
    const record = t.userTexts().find((x) => x.startsWith('<user_shell_command>')) ?? '';
    expect(record).toMatch(/^<user_shell_command>\n<command>\necho made > inside\.txt && cat inside\.txt && touch .*\/escaped\n<\/command>\n<result>\nExit code: [1-9]\d*\nDuration: \d+\.\d{4} seconds\nOutput:\nmade\n/);
    expect(record.endsWith('</result>\n</user_shell_command>')).toBe(true);
  });

  it('asks first under the untrusted policy; declined, it does not run and records nothing', async () => {
    const t = setup('untrusted', 'deny');
    const out = await t.run('touch ran.txt');
    expect(out).toMatchObject({ ran: false });
    expect(t.asked.map((q) => q.kind)).toEqual(['command']);
    expect(existsSync(join(t.cwd, 'ran.txt'))).toBe(false);
    expect(t.events.at(-1)).toMatchObject({ type: 'item.completed', item: { status: 'declined' } });
    expect(t.userTexts().some((x) => x.startsWith('<user_shell_command>'))).toBe(false);
  });

  it('formats the record as Codex does', () => {
    expect(userShellRecord('ls', 0, 1234, 'a\nb')).toBe(
      '<user_shell_command>\n<command>\nls\n</command>\n<result>\nExit code: 0\nDuration: 1.2340 seconds\nOutput:\na\nb\n</result>\n</user_shell_command>',
    );
  });
});
