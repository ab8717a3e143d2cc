/**
 * The time zone of the environment context, remembered across runs (src/agent/prompt/timezone.ts): the same
 * answer as Intl's, read back from the cache file while its key holds, asked again when TZ (or anything else
 * it is resolved from) changes, and never worse than Intl when the file is missing or broken. The end-to-end
 * check runs `exec` twice and compares the time zone in the environment context the model got.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedTimezone, resolvedTimezone, timezoneKey } from '../../src/agent/prompt/timezone.js';
import { makeHome, runCliAsync } from '../support/cli.js';
import { gitWorkspace, quietHome, useScriptedServer } from '../support/e2e.js';
import { turn } from '../support/scripted-server.js';

const file = () => join(mkdtempSync(join(tmpdir(), 'ocx-tz-')), 'cache', 'timezone.json');

describe('cachedTimezone', () => {
  it("answers as Intl does, and remembers the answer for the present key", () => {
    const f = file();
    expect(cachedTimezone(f)).toBe(resolvedTimezone());
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ key: timezoneKey(), timezone: resolvedTimezone() });
  });

  it('reads a remembered answer back while the key holds, and asks Intl again when it does not', () => {
    const f = file();
    cachedTimezone(f);
    // What a run with the same key wrote is taken as it is (here: a zone Intl would not say).
    writeFileSync(f, JSON.stringify({ key: timezoneKey(), timezone: 'Antarctica/Troll' }));
    expect(cachedTimezone(f)).toBe('Antarctica/Troll');
    writeFileSync(f, JSON.stringify({ key: 'another machine', timezone: 'Antarctica/Troll' }));
    expect(cachedTimezone(f)).toBe(resolvedTimezone());
  });

  it('a missing or corrupt file, or none at all, means asking Intl', () => {
    const f = file();
    expect(existsSync(f)).toBe(false);
    expect(cachedTimezone(undefined)).toBe(resolvedTimezone());
    expect(existsSync(f)).toBe(false);
    cachedTimezone(f);
    writeFileSync(f, '{broken');
    expect(cachedTimezone(f)).toBe(resolvedTimezone());
  });

  it('the key follows TZ and the files the zone is resolved from', () => {
    expect(timezoneKey({ TZ: 'Europe/Paris' })).not.toBe(timezoneKey({ TZ: 'Asia/Tokyo' }));
    expect(timezoneKey({})).toBe(timezoneKey({}));
  });
});

describe('exec', () => {
  const server = useScriptedServer();

  it('the second run sends the same environment context, its time zone read from the cache', async () => {
    const home = makeHome({
      'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\n`,
    });
    const cwd = gitWorkspace();
    const context = async (): Promise<string> => {
      server.reply(turn({ text: 'ok' }));
      const r = await runCliAsync(['exec', '--json', 'hi'], { home, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
      expect(r.status).toBe(0);
      const text = JSON.stringify(server.requests[server.requests.length - 1]?.body?.input);
      return /<timezone>([^<]*)<\/timezone>/.exec(text)?.[1] ?? '';
    };
    const first = await context();
    expect(first).toBe(resolvedTimezone());
    expect(JSON.parse(readFileSync(join(home, 'cache', 'timezone.json'), 'utf8')).timezone).toBe(first);
    expect(await context()).toBe(first);
  });
});
