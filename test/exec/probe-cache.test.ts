/**
 * The probe cache end to end: `exec` remembers in its home that bwrap and `script` work, so the next run
 * spawns neither probe; and when the remembered bwrap can no longer build a sandbox, the run fails exactly
 * as a run that probes and finds it so (the command never runs), for exec_command and shell_command alike.
 * bwrap and script are wrappers around the real ones that log their calls; bwrap fails like bwrap without
 * namespaces while a flag file exists.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { turn, type Reply } from '../support/scripted-server.js';

const server = useScriptedServer();
const real = { bwrap: '/usr/bin/bwrap', script: '/usr/bin/script' };

function fixture() {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-probe-e2e-')));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const log = join(dir, 'calls.log');
  const broken = join(dir, 'broken');
  writeFileSync(
    join(bin, 'bwrap'),
    `#!/bin/sh\necho "bwrap $*" >> '${log}'\nif [ -e '${broken}' ]; then echo 'bwrap: setting up uid map: Permission denied' >&2; exit 1; fi\nexec ${real.bwrap} "$@"\n`,
    { mode: 0o755 },
  );
  writeFileSync(join(bin, 'script'), `#!/bin/sh\necho "script $*" >> '${log}'\nexec ${real.script} "$@"\n`, { mode: 0o755 });
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { bin, broken, calls, cwd: gitWorkspace() };
}

function home(model: string): string {
  return makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "${model}"\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nstream_max_retries = 0\n`,
  });
}

const commandCall = (model: string): Reply =>
  model === 'gpt-5.5'
    ? turn({ toolCalls: [{ name: 'exec_command', arguments: { cmd: 'echo ran' } }] })
    : turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'echo ran' } }] });

async function exec(h: string, f: ReturnType<typeof fixture>, model: string) {
  server.reply(commandCall(model), turn({ text: 'done' }));
  const r = await runCliAsync(['exec', '--json', '-s', 'read-only', 'go'], { home: h, cwd: f.cwd, env: { MOCK_KEY: 'k', HOME: quietHome, PATH: `${f.bin}:${process.env.PATH ?? ''}` } });
  // What the model was told about the command.
  const input = (server.requests[1]?.body?.input ?? []) as Json[];
  const told = String(input.find((i) => i.type === 'function_call_output')?.output ?? '');
  server.reset();
  return { ...r, told };
}

/** The run's events without ids and timings, to compare two runs. */
const shape = (stdout: string): Json[] =>
  jsonLines(stdout)
    .filter((e) => e.type !== 'thread.started')
    .map((e) => JSON.parse(JSON.stringify(e).replace(/"thread_id":"[^"]+"/g, '"thread_id":"T"')) as Json);

describe.skipIf(!existsSync(real.bwrap) || !existsSync(real.script))('exec with the probe cache', () => {
  for (const model of ['gpt-5.5', 'gpt-5.4']) {
    it(`${model}: the second run spawns no probe; a remembered bwrap that broke fails as a probed one does`, async () => {
      const f = fixture();
      const h = home(model);
      const probes = () => f.calls().filter((c) => c.endsWith('-- true') || c === 'script --version').length;

      const first = await exec(h, f, model);
      expect(first.status).toBe(0);
      expect(first.told).toContain('ran');
      const afterFirst = probes();
      expect(afterFirst).toBe(model === 'gpt-5.5' ? 2 : 1);

      const second = await exec(h, f, model);
      expect(second.status).toBe(0);
      expect(second.told).toContain('ran');
      expect(probes()).toBe(afterFirst);

      // bwrap breaks without changing: the remembered success is wrong.
      writeFileSync(f.broken, '');
      const recalled = await exec(h, f, model);
      const probed = await exec(h, f, model);
      expect(recalled.status).toBe(probed.status);
      expect(shape(recalled.stdout)).toEqual(shape(probed.stdout));
      expect(recalled.told).toBe(probed.told);
      expect(recalled.told).toMatch(/cannot create a sandbox here \(bwrap: setting up uid map: Permission denied\)/);
      expect(recalled.stdout).not.toContain('ran\\n');

      rmSync(f.broken);
      expect((await exec(h, f, model)).status).toBe(0);
    });
  }
});
