/**
 * `exec` against a provider that never sends an event ends within its stated bound,
 * (1 + stream_max_retries) × stream_idle_timeout_ms plus backoff, instead of hanging: exit 1, each
 * retry announced, one clear failure line with the true number of requests.
 */
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { hang, trickle, type Reply } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer } from '../support/e2e.js';

const server = useScriptedServer();
const IDLE_MS = 400;

async function execAgainst(...replies: Reply[]) {
  server.reply(...replies);
  const home = makeHome({
    'config.toml': [
      'model_provider = "mock"',
      'model = "gpt-5.4"',
      '[model_providers.mock]',
      'name = "Mock"',
      `base_url = "${server.url}"`,
      'env_key = "MOCK_KEY"',
      `stream_idle_timeout_ms = ${IDLE_MS}`,
      'stream_max_retries = 1',
      'request_max_retries = 4',
      '',
    ].join('\n'),
  });
  const t0 = performance.now();
  // Killed after 15 s: a hang shows up as status null, not as a stuck test run.
  const r = await runCliAsync(['exec', '--json', 'go'], { home, cwd: gitWorkspace(), env: { MOCK_KEY: 'k', HOME: quietHome }, timeoutMs: 15_000 });
  return { ...r, ms: performance.now() - t0, events: jsonLines(r.stdout) };
}

describe('exec: a provider that never sends an event', () => {
  it('keep-alive comments only: gives up after 2 requests with one failure line, exit 1', async () => {
    const r = await execAgainst(trickle(50), trickle(50));
    expect(r.status).toBe(1);
    expect(server.requests).toHaveLength(2);
    const idle = 'stream disconnected before completion: idle timeout waiting for SSE';
    expect(r.events.filter((e) => e.type === 'error').map((e) => e.message)).toEqual([`Reconnecting... 1/1 (${idle})`]);
    const failures = r.events.filter((e) => e.type === 'turn.failed');
    expect(failures).toEqual([{ type: 'turn.failed', error: { message: `${idle} (gave up after 2 requests)` } }]);
    expect(r.events.at(-1)?.type).toBe('turn.failed');
    expect(r.ms).toBeGreaterThanOrEqual(2 * IDLE_MS);
    expect(r.ms).toBeLessThan(2 * IDLE_MS + 8000);
  });

  it('a server that takes the request and never answers: no silent retries, same bound', async () => {
    const r = await execAgainst(hang(), hang());
    expect(r.status).toBe(1);
    // request_max_retries = 4 would have made 10 requests if a silent layer retried the wait.
    expect(server.requests).toHaveLength(2);
    const reason = `idle timeout waiting for a response: Mock at ${server.url}/responses sent nothing for ${IDLE_MS} ms`;
    expect(r.events.filter((e) => e.type === 'error').map((e) => e.message)).toEqual([`Reconnecting... 1/1 (${reason})`]);
    const failures = r.events.filter((e) => e.type === 'turn.failed');
    expect(failures).toHaveLength(1);
    const message = String((failures[0]?.error as { message?: unknown } | undefined)?.message);
    expect(message).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(gave up after 2 requests\\) — .*stream_idle_timeout_ms`));
    expect(message).not.toContain('\n');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.ms).toBeGreaterThanOrEqual(2 * IDLE_MS);
    expect(r.ms).toBeLessThan(2 * IDLE_MS + 8000);
  });
});
