/**
 * The model attacks the sandbox: each test scripts the model's tool call that carries an attack, runs the
 * built CLI's `exec` against the scripted server under the real bubblewrap, and checks on the host that
 * nothing got out. Writable roots are the workspace only (/tmp and $TMPDIR excluded), so anything written
 * elsewhere is an escape.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeHome, runCliAsync } from '../support/cli.js';
import { turn } from '../support/scripted-server.js';
import { gitWorkspace, jsonLines, quietHome, useScriptedServer, type Json } from '../support/e2e.js';
import { until } from './helpers.js';

const server = useScriptedServer();

const CONFINED = [
  '-c', 'sandbox_workspace_write.exclude_slash_tmp=true',
  '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true',
];

function run(args: string[], cwd: string, options: { json?: boolean; extra?: string } = {}) {
  const home = makeHome({
    'config.toml': `model_provider = "mock"\nmodel = "gpt-5.4"\n${options.extra ?? ''}\n[model_providers.mock]\nname = "Mock"\nbase_url = "${server.url}"\nenv_key = "MOCK_KEY"\nwire_api = "responses"\nstream_max_retries = 0\n`,
  });
  return runCliAsync(['exec', ...(options.json === false ? [] : ['--json']), ...args], { home, cwd, env: { MOCK_KEY: 'k', HOME: quietHome } });
}

/** One shell call carrying `args`, then an answer; returns the run, the command item and what the model got. */
async function attack(args: Record<string, unknown>, cwd: string, flags: string[] = ['-s', 'workspace-write', ...CONFINED]) {
  server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: args, callId: 'x' }] }), turn({ text: 'done' }));
  const r = await run([...flags, 'go'], cwd);
  expect(r.status, r.stderr).toBe(0);
  const item = jsonLines(r.stdout).find((e) => e.type === 'item.completed' && (e.item as Json).type === 'command_execution')?.item as Json | undefined;
  const input = (server.requests.at(-1)?.body?.input ?? []) as Json[];
  const output = String(input.find((i) => i.type === 'function_call_output')?.output ?? '');
  return { r, item, output };
}

const outsideDirs: string[] = [];

/** A directory outside every writable root (not under /tmp's exclusions alone: a sibling of the workspace). */
function outsideDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-outside-')));
  outsideDirs.push(dir);
  return dir;
}

/** Entries of a directory that a test did not create. */
const entries = (dir: string): string[] => readdirSync(dir).sort();

describe('escape 1: writable roots never come from the command’s workdir', () => {
  it('a workdir in another directory runs there, read-only; the item and human output show that directory', async () => {
    const ws = gitWorkspace({ 'a.txt': 'a\n' });
    const other = outsideDir();
    writeFileSync(join(other, 'seen.txt'), 'visible\n');
    const { item, output } = await attack({ command: 'cat seen.txt && pwd && echo pwned > planted.txt', workdir: other }, ws);
    expect(item?.cwd).toBe(other);
    expect(item?.status).toBe('failed');
    expect(String(item?.aggregated_output)).toMatch(/visible\n/);
    expect(String(item?.aggregated_output)).toContain(`${other}\n`);
    expect(output).toMatch(/Read-only file system/);
    expect(existsSync(join(other, 'planted.txt'))).toBe(false);

    // Human mode names the directory the command really ran in.
    server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'true', workdir: other }, callId: 'y' }] }), turn({ text: 'ok' }));
    const human = await run(['-s', 'workspace-write', ...CONFINED, 'go'], ws, { json: false });
    expect(human.stderr).toContain(` in ${other}`);
  });

  it('workdir = .git cannot plant a hook, and workdir = $HOME cannot write there', async () => {
    const ws = gitWorkspace();
    const { item } = await attack(
      { command: 'mkdir -p hooks && printf "#!/bin/sh\\ntouch /tmp/owned\\n" > hooks/pre-commit && chmod +x hooks/pre-commit', workdir: '.git' },
      ws,
    );
    expect(item?.cwd).toBe(join(realpathSync(ws), '.git'));
    expect(item?.status).toBe('failed');
    expect(existsSync(join(ws, '.git', 'hooks'))).toBe(false);

    const home = outsideDir();
    const before = entries(home);
    await attack({ command: 'echo x > .bashrc; mkdir .ssh', workdir: home }, ws);
    expect(entries(home)).toEqual(before);
  });

  it('`cd DIR && apply_patch` through the shell is checked against the session’s roots', async () => {
    const ws = gitWorkspace();
    const other = outsideDir();
    const patch = `*** Begin Patch\n*** Add File: evil.txt\n+pwned\n*** End Patch`;
    const { output } = await attack({ command: `cd ${other} && apply_patch <<'EOF'\n${patch}\nEOF\n` }, ws);
    expect(output).toMatch(/rejected/);
    expect(existsSync(join(other, 'evil.txt'))).toBe(false);
    // The same through workdir, and into .git of the workspace.
    const hook = `*** Begin Patch\n*** Add File: hooks/post-checkout\n+#!/bin/sh\n*** End Patch`;
    const viaWorkdir = await attack({ command: `apply_patch <<'EOF'\n${hook}\nEOF\n`, workdir: '.git' }, ws);
    expect(viaWorkdir.output).toMatch(/rejected/);
    expect(existsSync(join(ws, '.git', 'hooks'))).toBe(false);
    // Inside the workspace, a workdir still works for patches.
    mkdirSync(join(ws, 'sub'));
    const fine = await attack({ command: `apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: ok.txt\n+ok\n*** End Patch\nEOF\n`, workdir: 'sub' }, ws);
    expect(fine.output).toMatch(/Success/);
    expect(existsSync(join(ws, 'sub', 'ok.txt'))).toBe(true);
  });

  it('a workdir that does not exist is an error for the model, not a crash', async () => {
    const ws = gitWorkspace();
    const { r, output } = await (async () => {
      server.reply(turn({ toolCalls: [{ name: 'shell_command', arguments: { command: 'true', workdir: 'nope/deeper' }, callId: 'x' }] }), turn({ text: 'done' }));
      const res = await run(['-s', 'workspace-write', 'go'], ws);
      const input = (server.requests.at(-1)?.body?.input ?? []) as Json[];
      return { r: res, output: String(input.find((i) => i.type === 'function_call_output')?.output ?? '') };
    })();
    expect(r.status).toBe(0);
    expect(output).toMatch(/workdir .*nope\/deeper is not an existing directory/);
  });
});

describe('escape 2: no capabilities inside, also as root', () => {
  it.each(['read-only', 'workspace-write'])('%s: CapEff is 0 and / cannot be remounted read-write', async (mode) => {
    const ws = gitWorkspace();
    const { item } = await attack(
      { command: 'grep CapEff /proc/self/status; mount -o remount,rw / && echo REMOUNTED; umount .git 2>/dev/null && echo UNMOUNTED; true' },
      ws,
      ['-s', mode, ...CONFINED],
    );
    const out = String(item?.aggregated_output);
    expect(out).toMatch(/CapEff:\s+0000000000000000/);
    expect(out).not.toMatch(/REMOUNTED|UNMOUNTED/);
  });
});

describe('hole 3: network off cuts host UNIX sockets', () => {
  let sock: string;
  let connections = 0;
  let unixServer: Server;
  beforeAll(async () => {
    sock = join(realpathSync(mkdtempSync(join(tmpdir(), 'ocx-sock-'))), 'host.sock');
    unixServer = createServer((s) => {
      connections++;
      s.end('secret from the host\n');
    });
    await new Promise<void>((resolve) => unixServer.listen(sock, resolve));
  });
  afterAll(() => new Promise<void>((resolve) => unixServer.close(() => resolve())));

  const probe = (path: string): string =>
    `node -e "const s=require('net').connect('${path}');s.on('data',d=>process.stdout.write('GOT '+d));s.on('error',e=>console.log('ERR '+e.code))"`;

  it('read-only and workspace-write: connecting to a host socket fails with EPERM', async () => {
    const ws = gitWorkspace();
    for (const mode of ['read-only', 'workspace-write']) {
      const { item } = await attack({ command: probe(sock) }, ws, ['-s', mode, ...CONFINED]);
      expect(String(item?.aggregated_output)).toBe('ERR EPERM\n');
    }
    expect(connections).toBe(0);
  });

  it('a datagram socketpair cannot be pointed at a host socket either; stream pairs still work', async () => {
    const ws = gitWorkspace();
    const script = [
      'import socket',
      'a, b = socket.socketpair(); a.send(b"x"); print("stream pair", b.recv(1))',
      'try:\n    socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM); print("dgram pair made")\nexcept PermissionError as e:\n    print("dgram pair", e.errno)',
    ].join('\n');
    writeFileSync(join(ws, 'probe.py'), script);
    const { item } = await attack({ command: 'python3 probe.py' }, ws, ['-s', 'read-only']);
    expect(String(item?.aggregated_output)).toBe("stream pair b'x'\ndgram pair 1\n");
  });

  it('with network_access = true the socket is reachable, as the user chose', async () => {
    const ws = gitWorkspace();
    const { item } = await attack({ command: probe(sock) }, ws, ['-s', 'workspace-write', '-c', 'sandbox_workspace_write.network_access=true']);
    expect(String(item?.aggregated_output)).toBe('GOT secret from the host\n');
    expect(connections).toBe(1);
  });
});

describe('hole 4: an IPC namespace of its own', () => {
  it('a read-only command cannot see or delete the host’s SysV message queues', async () => {
    const id = execFileSync('ipcmk', ['-Q'], { encoding: 'utf8' }).match(/(\d+)/)?.[1] ?? '';
    try {
      const ws = gitWorkspace();
      const { item } = await attack({ command: `ipcrm -q ${id} && echo DELETED; ipcs -q | grep -c '^0x' || true` }, ws, ['-s', 'read-only']);
      expect(String(item?.aggregated_output)).not.toMatch(/DELETED/);
      expect(execFileSync('ipcs', ['-q', '-i', id], { encoding: 'utf8' })).toMatch(new RegExp(`msqid=${id}`));
    } finally {
      execFileSync('ipcrm', ['-q', id]);
    }
  });
});

describe('hole 5: protected names that do not exist yet cannot be created, and nothing is left behind', () => {
  it('mkdir .codex / .opencodex / git init fail in workspace-write; afterwards the workspace is as it was', async () => {
    const ws = realpathSync(mkdtempSync(join(tmpdir(), 'ocx-nogit-')));
    writeFileSync(join(ws, 'keep.txt'), 'k\n');
    const before = entries(ws);
    const { item } = await attack(
      {
        command:
          'mkdir -p .codex/x; echo "model = \\"evil\\"" > .codex/config.toml; mkdir .opencodex/y; git init -q . 2>&1 | head -1; ' +
          'rmdir .git .codex; mv .git g2; echo ok > new.txt',
      },
      ws,
      ['-s', 'workspace-write', ...CONFINED, '--skip-git-repo-check'],
    );
    expect(String(item?.aggregated_output)).toMatch(/Read-only file system/);
    expect(entries(ws)).toEqual([...before, 'new.txt'].sort());
  });

  it('a protected name in /tmp (a default writable root) is protected too, and /tmp is left clean', async () => {
    // /tmp is shared with the sandboxes of the test files running beside this one, so "clean" is judged by
    // what this run could leave: its mount points go when their last hold goes (a hold names its
    // process), so afterwards a mount point may only be there if a live process holds it, and nothing but
    // holds may be inside.
    const ws = gitWorkspace();
    const NAMES = ['.git', '.codex', '.opencodex'];
    const hold = /^\.opencodex-hold-(\d+)-[0-9a-f]+$/;
    const alive = (pid: number): boolean => {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    };
    const inside = (name: string): string[] | undefined => (existsSync(join('/tmp', name)) ? readdirSync(join('/tmp', name)) : undefined);
    const existedBefore = new Set(NAMES.filter((n) => inside(n) !== undefined));
    const holdsBefore = new Set(NAMES.flatMap((n) => (inside(n) ?? []).map((e) => `${n}/${e}`)));
    const { item } = await attack({ command: 'mkdir /tmp/.git/hooks; a=$?; mkdir /tmp/.codex/z$$; b=$?; mkdir /tmp/.opencodex/y$$; echo rc=$a$b$?' }, ws, ['-s', 'workspace-write']);
    expect(String(item?.aggregated_output)).toMatch(/rc=111/);
    for (const name of NAMES) {
      // Another sandbox may be between making a mount point and taking its hold: wait until that settles.
      if (!existedBefore.has(name)) {
        await until(() => {
          const left = inside(name);
          return left === undefined || left.some((e) => hold.test(e) && alive(Number(hold.exec(e)?.[1])));
        }, `/tmp/${name} to be gone or held by a live process`, 5000);
      }
      const left = inside(name) ?? [];
      expect(left.filter((e) => !hold.test(e))).toEqual([]);
      // This run's hold (its process has exited) is gone.
      expect(left.filter((e) => !alive(Number(hold.exec(e)?.[1])) && !holdsBefore.has(`${name}/${e}`))).toEqual([]);
    }
  });

  it('patches to a missing .codex are refused by the same rule', async () => {
    const ws = gitWorkspace();
    server.reply(
      turn({ toolCalls: [{ name: 'apply_patch', input: '*** Begin Patch\n*** Add File: .codex/config.toml\n+x\n*** End Patch', callId: 'p', kind: 'custom' }] }),
      turn({ text: 'done' }),
    );
    const r = await run(['-s', 'workspace-write', 'go'], ws);
    expect(r.status).toBe(0);
    expect(existsSync(join(ws, '.codex'))).toBe(false);
  });

  it('a mount point left by a killed run is reused and removed by the next one', async () => {
    const ws = gitWorkspace();
    // What a SIGKILLed opencodex leaves: the sticky mount point with its (now stale) hold.
    mkdirSync(join(ws, '.codex'), { mode: 0o1700 });
    writeFileSync(join(ws, '.codex', '.opencodex-hold-999999-abcdef'), '');
    await attack({ command: 'touch .codex/x; echo rc=$?' }, ws);
    expect(existsSync(join(ws, '.codex'))).toBe(false);
  });
});

// Only this file's directories: other files running at the same time make ocx-outside-* directories too.
afterAll(() => {
  for (const d of outsideDirs) rmSync(d, { recursive: true, force: true });
});
