/**
 * Unified exec end to end: the built CLI's `exec --json` against the scripted server, for a model whose
 * catalog entry says `unified_exec`, under the real bubblewrap. The scripted model starts processes with
 * exec_command and talks to them with write_stdin, reading each session ID from the previous tool output.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, makeHome, runCliAsync } from '../support/cli.js';
import { dynamic, turn, type RecordedRequest, type Reply, type ScriptedToolCall } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { processesGone, processesRunning, until } from '../sandbox/helpers.js';

const server = useScriptedServer();

const MODEL = 'uexec-test';
const CATALOG = JSON.stringify({
  mode: 'extend',
  models: [{ slug: MODEL, display_name: 'unified exec test model', shell_type: 'unified_exec', truncation: { mode: 'tokens', limit: 10000 } }],
});

/** Writable roots: the workspace only (/tmp and $TMPDIR excluded), so anything written elsewhere is an escape. */
const CONFINED = ['-s', 'workspace-write', '-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true'];

function home(model = MODEL): string {
  const h = makeHome({ 'catalog.json': CATALOG });
  writeFileSync(
    join(h, 'config.toml'),
    `model_provider = "mock"\nmodel = "${model}"\nmodel_catalog_json = "${join(h, 'catalog.json')}"\n` +
      `[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n`,
  );
  return h;
}

function exec(cwd: string, flags: string[] = ['-s', 'read-only'], model = MODEL) {
  return runCliAsync(['exec', '--json', ...flags, 'go'], { home: home(model), cwd, env: { MOCK_KEY: 'k', HOME: quietHome }, timeoutMs: 60_000 });
}

const call = (name: string, args: Record<string, unknown>, callId: string): Reply => turn({ toolCalls: [{ name, arguments: args, callId } as ScriptedToolCall] });

/** The output the model got for `callId` (from the request that carried it). */
function outputOf(callId: string, request?: RecordedRequest): string {
  for (const r of request ? [request] : server.requests) {
    const input = (r.body?.input ?? []) as Json[];
    const out = input.find((i) => i.type === 'function_call_output' && i.call_id === callId);
    if (out) return String(out.output);
  }
  throw new Error(`no output for ${callId}`);
}

/** The session ID in a tool output ("Process running with session ID N"). */
function sessionOf(output: string): number {
  const m = /^Process running with session ID (\d+)$/m.exec(output);
  if (!m) throw new Error(`no running session in:\n${output}`);
  return Number(m[1]);
}

/** What the model got for `callId` and for the polls the conversation added after it, in order. */
function chunksOf(callId: string): string[] {
  const chunks = [outputOf(callId)];
  for (let n = 1; ; n++) {
    try {
      chunks.push(outputOf(`${callId}.poll${n}`));
    } catch {
      return chunks;
    }
  }
}
const allOf = (callId: string): string => chunksOf(callId).join('\n');

/** A poll waits at least 5 s: a few are plenty on a loaded machine, and a broken case fails in ~20 s. */
const MAX_POLLS = 4;

interface Step {
  name: 'exec_command' | 'write_stdin';
  /** The call's arguments; a write_stdin gets the session ID of the last running process. */
  args: Record<string, unknown>;
  id: string;
  /**
   * Until the step's output so far matches (or the process ends), the model polls for more (write_stdin
   * without chars, callId `ID.pollN`), so a short yield_time_ms cannot cut off output a slow machine
   * has not produced yet: the test waits on what the process prints, not on a guessed delay.
   */
  until?: RegExp;
  /** Polls until the process ends. */
  untilExit?: boolean;
  /** Runs when the model makes the call (e.g. lets the process go on). */
  before?: () => void;
}

/**
 * Scripts a model that makes `steps` one after the other, reading each session ID and output from the
 * request, then ends the turn with "done".
 */
function converse(...steps: Step[]): void {
  let i = -1;
  let polls = 0;
  let session: number | undefined;
  const next = (req: RecordedRequest): Reply => {
    const step = steps[i];
    if (step) {
      const out = outputOf(polls === 0 ? step.id : `${step.id}.poll${polls}`, req);
      const running = /^Process running with session ID (\d+)$/m.exec(out);
      if (running) session = Number(running[1]);
      const waiting = step.untilExit === true || (step.until !== undefined && !step.until.test(allOf(step.id)));
      if (running && waiting && polls < MAX_POLLS) {
        polls++;
        return call('write_stdin', { session_id: session, chars: '' }, `${step.id}.poll${polls}`);
      }
    }
    i++;
    polls = 0;
    const s = steps[i];
    if (!s) return turn({ text: 'done' });
    s.before?.();
    return call(s.name, s.name === 'write_stdin' ? { session_id: session, ...s.args } : s.args, s.id);
  };
  server.reply(...Array.from({ length: steps.length * (MAX_POLLS + 1) + 1 }, () => dynamic(next)));
}

const commandItems = (stdout: string, type = 'item.completed'): Json[] =>
  jsonLines(stdout)
    .filter((e) => e.type === type && (e.item as Json).type === 'command_execution')
    .map((e) => e.item as Json);

/** A small program that asks for a name, greets every line it reads, and exits 42 on Ctrl-C. */
const PROMPT_JS = `
process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(42); });
process.stdout.write('name? ');
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\\n'); i >= 0; i = buf.indexOf('\\n')) {
    console.log('hello ' + buf.slice(0, i).trim());
    buf = buf.slice(i + 1);
  }
});
`;

// A poll waits at least 5 s: on a loaded machine a test may need a few.
describe('exec: unified exec (exec_command / write_stdin)', { timeout: 60_000 }, () => {
  it('a unified_exec model gets exec_command and write_stdin; other models keep shell_command', async () => {
    const ws = gitWorkspace();
    server.reply(turn({ text: 'ok' }));
    expect((await exec(ws)).status).toBe(0);
    const names = ((server.requests[0]?.body?.tools ?? []) as Json[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['exec_command', 'write_stdin']));
    expect(names).not.toContain('shell_command');
    const spec = ((server.requests[0]?.body?.tools ?? []) as Json[]).find((t) => t.name === 'exec_command') as Json;
    expect(Object.keys((spec.parameters as Json).properties as Json)).toEqual(
      expect.arrayContaining(['cmd', 'workdir', 'shell', 'login', 'tty', 'yield_time_ms', 'max_output_tokens', 'sandbox_permissions', 'justification']),
    );

    server.reset();
    server.reply(turn({ text: 'ok' }));
    expect((await exec(ws, ['-s', 'read-only'], 'gpt-5.4')).status).toBe(0);
    const other = ((server.requests[0]?.body?.tools ?? []) as Json[]).map((t) => t.name);
    expect(other).toContain('shell_command');
    expect(other).not.toContain('exec_command');
  });

  it('an interactive program on a terminal: prompt answered, more input, Ctrl-C; it reports a terminal', async () => {
    const ws = gitWorkspace({ 'prompt.js': PROMPT_JS });
    converse(
      { name: 'exec_command', args: { cmd: `tty; [ -t 0 ] && echo stdin-is-a-terminal; exec ${process.execPath} prompt.js`, tty: true, yield_time_ms: 250 }, id: 'start', until: /name\? / },
      { name: 'write_stdin', args: { chars: 'bob\n' }, id: 'answer', until: /hello bob/ },
      { name: 'write_stdin', args: { chars: 'alice\n' }, id: 'more', until: /hello alice/ },
      { name: 'write_stdin', args: { chars: '\u0003', yield_time_ms: 5000 }, id: 'interrupt', untilExit: true },
    );
    const r = await exec(ws);
    expect(r.status, r.stderr).toBe(0);

    expect(outputOf('start')).toMatch(/^Chunk ID: [0-9a-f]{6}\nWall time: \d+\.\d{4} seconds\nProcess running with session ID \d+\nOriginal token count: \d+\nOutput:\n/);
    const start = allOf('start');
    expect(start).toMatch(/^\/dev\/pts\/\d+\r?$/m);
    expect(start).toContain('stdin-is-a-terminal');
    expect(start).toContain('name? ');
    const id = sessionOf(outputOf('start'));
    expect(allOf('answer')).toContain('hello bob');
    expect(sessionOf(outputOf('answer'))).toBe(id);
    expect(allOf('more')).toContain('hello alice');
    expect(allOf('interrupt')).toContain('got SIGINT');
    const ended = chunksOf('interrupt').at(-1) ?? '';
    expect(ended).toMatch(/^Process exited with code 42$/m);
    expect(ended).not.toMatch(/session ID/);

    // One item for the command: started once, completed when the process ended.
    expect(commandItems(r.stdout, 'item.started')).toHaveLength(1);
    const [item] = commandItems(r.stdout);
    expect(item).toMatchObject({ status: 'failed', exit_code: 42, cwd: realpathSync(ws) });
    expect(String(item?.command)).toMatch(/^bash -lc /);
    expect(String(item?.aggregated_output)).toContain('hello alice');
  });

  it('a command without a terminal: pipes, not a tty, stdin closed to write_stdin', async () => {
    const ws = gitWorkspace();
    converse(
      { name: 'exec_command', args: { cmd: 'tty; echo waiting; sleep 30', yield_time_ms: 250 }, id: 'start', until: /waiting/ },
      { name: 'write_stdin', args: { chars: 'hi\n' }, id: 'type' },
    );
    const r = await exec(ws);
    expect(r.status, r.stderr).toBe(0);
    expect(allOf('start')).toContain('not a tty');
    expect(outputOf('type')).toMatch(/started without a terminal \(tty false\), so its stdin is closed/);
  });

  it('a process that outlives yield_time_ms is polled until it exits; its session then ends', async () => {
    const ws = gitWorkspace();
    // The process waits for a file the model drops when it polls: still running after its yield, it ends
    // during the poll, whatever the machine's speed.
    converse(
      { name: 'exec_command', args: { cmd: 'echo started; while [ ! -e go ]; do sleep 0.01; done; echo finished', yield_time_ms: 250 }, id: 'start', until: /started/ },
      { name: 'write_stdin', args: {}, id: 'poll', before: () => writeFileSync(join(ws, 'go'), '') },
      { name: 'write_stdin', args: {}, id: 'again' },
    );
    const r = await exec(ws);
    expect(r.status, r.stderr).toBe(0);
    expect(outputOf('start')).toMatch(/^Process running with session ID \d+$/m);
    expect(chunksOf('start').map((c) => /Output:\n([\s\S]*)$/.exec(c)?.[1]).join('')).toBe('started\n');
    const poll = outputOf('poll');
    expect(poll).toMatch(/^Process exited with code 0$/m);
    expect(poll).toMatch(/Output:\nfinished\n$/);
    // An empty poll waits up to 5 s, but returns when the process ends.
    expect(Number(/Wall time: ([\d.]+) seconds/.exec(poll)?.[1])).toBeLessThan(4.5);
    expect(outputOf('again')).toMatch(/no session \d+ is running/);
    const [item] = commandItems(r.stdout);
    expect(item).toMatchObject({ status: 'completed', exit_code: 0, aggregated_output: 'started\nfinished\n' });
  });

  it('a process still running when the turn ends is completed in_progress, and killed when exec exits', async () => {
    const ws = gitWorkspace();
    const marker = `41.${Math.floor(Math.random() * 1e6)}`;
    converse({ name: 'exec_command', args: { cmd: `echo up; sleep ${marker}`, yield_time_ms: 250 }, id: 'start', until: /up/ });
    const r = await exec(ws, ['-s', 'danger-full-access']);
    expect(r.status, r.stderr).toBe(0);
    const events = jsonLines(r.stdout);
    const done = events.findIndex((e) => e.type === 'item.completed' && (e.item as Json).type === 'command_execution');
    expect(events[done]?.item).toMatchObject({ status: 'in_progress', exit_code: null, aggregated_output: 'up\n' });
    expect(done).toBeLessThan(events.findIndex((e) => e.type === 'turn.completed'));
    expect(await processesGone(marker)).toEqual([]);
  });

  it('in a terminal session, writes outside the writable roots fail and writes inside succeed', async () => {
    const ws = gitWorkspace();
    const outside = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-uexec-outside-')));
    const loop = 'while read p; do touch "$p"; echo "touch $p: $?"; done';
    converse(
      { name: 'exec_command', args: { cmd: loop, tty: true, yield_time_ms: 250 }, id: 'start' },
      { name: 'write_stdin', args: { chars: `${outside}/planted\n` }, id: 'outside', until: /planted: \d/ },
      { name: 'write_stdin', args: { chars: 'inside.txt\n' }, id: 'inside', until: /inside\.txt: \d/ },
      { name: 'write_stdin', args: { chars: '\u0003', yield_time_ms: 5000 }, id: 'stop', untilExit: true },
    );
    const r = await exec(ws, CONFINED);
    expect(r.status, r.stderr).toBe(0);
    expect(allOf('outside')).toMatch(/Read-only file system/);
    expect(allOf('outside')).toContain(`touch ${outside}/planted: 1`);
    expect(existsSync(join(outside, 'planted'))).toBe(false);
    expect(allOf('inside')).toContain('touch inside.txt: 0');
    expect(existsSync(join(ws, 'inside.txt'))).toBe(true);
    expect(chunksOf('stop').at(-1)).toMatch(/^Process exited with code 130$/m);
  });

  it('a workdir outside the roots only says where the command runs: there, read-only', async () => {
    const ws = gitWorkspace();
    const other = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-uexec-other-')));
    writeFileSync(join(other, 'seen.txt'), 'visible\n');
    server.reply(call('exec_command', { cmd: 'cat seen.txt; pwd; echo pwned > planted.txt', workdir: other, tty: true }, 'x'), turn({ text: 'done' }));
    const r = await exec(ws, CONFINED);
    expect(r.status, r.stderr).toBe(0);
    const out = outputOf('x');
    expect(out).toContain('visible');
    expect(out).toContain(other);
    expect(out).toMatch(/Read-only file system/);
    expect(out).toMatch(/^Process exited with code 1$/m);
    expect(existsSync(join(other, 'planted.txt'))).toBe(false);
    expect(commandItems(r.stdout)[0]).toMatchObject({ cwd: other, status: 'failed', exit_code: 1 });
  });

  it('[features] unified_exec = false keeps shell_command for a unified_exec model', async () => {
    const ws = gitWorkspace();
    server.reply(turn({ text: 'ok' }));
    expect((await exec(ws, ['-s', 'read-only', '-c', 'features.unified_exec=false'])).status).toBe(0);
    const names = ((server.requests[0]?.body?.tools ?? []) as Json[]).map((t) => t.name);
    expect(names).toContain('shell_command');
    expect(names).not.toContain('exec_command');
  });

  it('approvals: the same rules as every command (untrusted asks, exec declines); write_stdin asks nothing', async () => {
    const ws = gitWorkspace();
    converse(
      { name: 'exec_command', args: { cmd: 'touch made-by-model', tty: true }, id: 'asked' },
      { name: 'exec_command', args: { cmd: 'cat', tty: true, yield_time_ms: 250 }, id: 'safe' },
      { name: 'write_stdin', args: { chars: 'typed\n' }, id: 'typed', until: /typed\r\ntyped\r\n/ },
    );
    const r = await exec(ws, ['-s', 'workspace-write', '-c', 'approval_policy="untrusted"']);
    expect(r.status, r.stderr).toBe(0);
    expect(outputOf('asked')).toMatch(/^command not run: it needs approval/);
    expect(existsSync(join(ws, 'made-by-model'))).toBe(false);
    expect(commandItems(r.stdout)[0]).toMatchObject({ status: 'declined' });
    // cat is a known-safe command: it runs, and typing into it needs no further approval.
    expect(allOf('typed')).toMatch(/typed\r\ntyped\r\n/);
  });

  it('on-failure: a command the sandbox stopped within the yield is reported as run and failed', async () => {
    const ws = gitWorkspace();
    server.reply(call('exec_command', { cmd: 'echo trying; touch /etc/ocx-uexec-denied', tty: true }, 'x'), turn({ text: 'done' }));
    const r = await exec(ws, ['-s', 'workspace-write', '-c', 'approval_policy="on-failure"']);
    expect(r.status, r.stderr).toBe(0);
    const out = outputOf('x');
    expect(out).toMatch(/^The command ran in the sandbox and failed \(exit 1\)/);
    expect(out).toMatch(/Process exited with code 1\n/);
    expect(out).toMatch(/Read-only file system/);
    expect(existsSync('/etc/ocx-uexec-denied')).toBe(false);
  });

  it('max_output_tokens cuts the middle of a long output and says how much', async () => {
    const ws = gitWorkspace();
    server.reply(call('exec_command', { cmd: 'seq 1 20000', max_output_tokens: 100 }, 'x'), turn({ text: 'done' }));
    const r = await exec(ws);
    expect(r.status, r.stderr).toBe(0);
    const out = outputOf('x');
    expect(out).toMatch(/Original token count: 27224\nOutput:\nTotal output lines: 20001\n\n1\n2\n/);
    expect(out).toMatch(/…\d+ tokens truncated…/);
    expect(out).toMatch(/\n20000\n$/);
  });

  it('apply_patch sent through exec_command is applied as a patch, checked against the roots', async () => {
    const ws = gitWorkspace();
    const patch = "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch\nEOF";
    server.reply(call('exec_command', { cmd: patch }, 'x'), turn({ text: 'done' }));
    const r = await exec(ws, ['-s', 'workspace-write']);
    expect(r.status, r.stderr).toBe(0);
    expect(outputOf('x')).toMatch(/Success\. Updated the following files:\nA hello\.txt/);
    expect(jsonLines(r.stdout).some((e) => e.type === 'item.completed' && (e.item as Json).type === 'file_change')).toBe(true);
  });

  it('Ctrl-C while exec_command waits ends the process it started', async () => {
    const ws = gitWorkspace();
    const marker = `43.${Math.floor(Math.random() * 1e6)}`;
    server.reply(call('exec_command', { cmd: `sleep ${marker}`, tty: true, yield_time_ms: 30_000 }, 'x'));
    const child = spawn(process.execPath, [CLI, 'exec', '--json', '-s', 'read-only', 'go'], {
      cwd: ws,
      env: { ...process.env, OPENCODEX_HOME: home(), OPENCODEX_DEBUG: undefined, MOCK_KEY: 'k', HOME: quietHome },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Interrupted while exec_command waits on the running command (its own `sleep`, not the sandbox still
    // being set up around it).
    await until(() => processesRunning(['sleep', marker]).length > 0, 'the command to run');
    child.kill('SIGINT');
    expect(await closed).toBe(1);
    expect(await processesGone(marker)).toEqual([]);
  });
});
