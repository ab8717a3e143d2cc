/**
 * Secrets are redacted the same way everywhere we write: the rollout, a fork, and history.jsonl. A key
 * typed into a prompt must not survive in history.jsonl while the rollout hides it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendHistory, forkSession, openRollout, readHistory, REDACTED, secretRedactor } from '../../src/sessions/index.js';
import { uuidv7 } from '../../src/shared/index.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { gitWorkspace, jsonLines, quietHome, rolloutFiles, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const server = useScriptedServer();
const KEY = 'sk-typed-into-prompt-0123456789';

describe('secretRedactor', () => {
  it('replaces each secret, longest first, as written and as escaped inside a JSON string', () => {
    const redact = secretRedactor(['abcd1234', 'abcd1234-longer', 'with"quote\\x', 'no']);
    expect(redact('a abcd1234-longer b abcd1234 c no')).toBe(`a ${REDACTED} b ${REDACTED} c no`);
    const line = JSON.stringify({ text: 'my key is with"quote\\x' });
    expect(redact(line)).toBe(JSON.stringify({ text: `my key is ${REDACTED}` }));
    expect(secretRedactor(undefined)('unchanged')).toBe('unchanged');
  });
});

describe('history.jsonl, the rollout and a fork redact alike', () => {
  it('appendHistory keeps a secret in a prompt out of history.jsonl', () => {
    const home = makeHome();
    appendHistory(home, {}, { conversation_id: 'c', text: `use ${KEY} please`, ts: 1 }, { secrets: [KEY] });
    const text = readFileSync(join(home, 'history.jsonl'), 'utf8');
    expect(text).not.toContain(KEY);
    expect(readHistory(home).map((e) => e.text)).toEqual([`use ${REDACTED} please`]);
  });

  it('the same prompt reads the same in the rollout, its fork and history.jsonl', () => {
    const home = makeHome();
    const prompt = `use ${KEY} please`;
    const rec = openRollout(
      home,
      { id: uuidv7(), timestamp: new Date().toISOString(), cwd: '/w', originator: 't', cli_version: '0', source: 'exec', model_provider: 'p', base_instructions: { text: 'b' } },
      { secrets: [KEY] },
    );
    rec.event({ type: 'user_message', message: prompt });
    rec.close();
    appendHistory(home, {}, { conversation_id: 'c', text: prompt }, { secrets: [KEY] });
    const fork = forkSession(home, rec.path, { secrets: [KEY] });
    const messageIn = (path: string): unknown =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { payload: { type?: string; message?: string } })
        .find((l) => l.payload.type === 'user_message')?.payload.message;
    const expected = `use ${REDACTED} please`;
    expect(messageIn(rec.path)).toBe(expected);
    expect(messageIn(fork.path)).toBe(expected);
    expect(readHistory(home)[0]?.text).toBe(expected);
  });

  it('exec: an API key typed into the prompt is redacted in history.jsonl as in the rollout', async () => {
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\n`,
    });
    server.reply(turn({ text: 'noted' }));
    const r = await runCliAsync(['exec', '--json', `my key is ${KEY}`], { home, cwd: gitWorkspace(), env: { MOCK_KEY: KEY, HOME: quietHome } });
    expect(r.status).toBe(0);
    expect(jsonLines(r.stdout).at(-1)?.type).toBe('turn.completed');
    const history = readFileSync(join(home, 'history.jsonl'), 'utf8');
    expect(history).not.toContain(KEY);
    expect(JSON.parse(history.trim()).text).toBe(`my key is ${REDACTED}`);
    const rollout = readFileSync(rolloutFiles(home)[0] as string, 'utf8');
    expect(rollout).not.toContain(KEY);
    expect(rollout).toContain(`my key is ${REDACTED}`);
  });
});
