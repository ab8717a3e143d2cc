/**
 * Long-lived sandboxed processes: started like any command (same policy, bubblewrap arguments, mount points
 * and seccomp program), but left running, with their output handed over as it arrives, input sent later
 * (on a terminal), and an end that can be awaited or forced. Used by unified exec's sessions.
 *
 * Without a terminal, stdin is /dev/null and stdout and stderr are pipes. With one, util-linux `script`
 * runs inside the sandbox and gives the command a pseudo-terminal of the sandbox's own (see `pty.ts`).
 * Every process is a process group of its own: killing it takes along whatever it started in that group,
 * and a sandboxed one's PID namespace takes every descendant. All of them are killed when opencodex exits.
 */
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { checkRecalledSandbox, type Bwrap, type SandboxUnavailableError } from './bwrap.js';
import { onTerminal } from './pty.js';
import { killProcessGroup, planSpawn, resolveProgram, startPlan, type SpawnRequest } from './spawn.js';

export interface LiveRequest extends SpawnRequest {
  /** util-linux `script` (from `detectPty`), to run the command on a terminal; none: pipes, stdin closed. */
  terminal?: string | undefined;
}

export interface LiveExit {
  /** The exit status; 128+N for signal N. */
  exitCode: number;
}

/** How long to wait for output pipes after the process exits (background children may hold them). */
const DRAIN_MS = 2000;



export class LiveProcess {
  /** Set once the process has exited and its output has been read. */
  exit: LiveExit | null = null;
  /** Resolves when `exit` is set; never rejects (a failure to start ends it with status 1 and a message). */
  readonly done: Promise<LiveExit>;
  /**
   * Set at the end when the sandbox an earlier run found working could not be built this time (the command
   * never ran): the error a sandbox found unavailable by this run would have thrown at the start.
   */
  sandboxError: SandboxUnavailableError | null = null;
  /** The first bytes of output: bwrap's complaint when it cannot build the sandbox. */
  private head = '';
  private listeners: Array<(chunk: Buffer) => void> = [];
  private killed = false;
  private finish!: (exit: LiveExit) => void;
  private readonly child: ReturnType<typeof startPlan>['child'];

  constructor(
    private readonly started: ReturnType<typeof startPlan>,
    readonly sandboxed: boolean,
    readonly tty: boolean,
    private readonly bwrap?: Bwrap,
  ) {
    this.child = started.child;
    this.done = new Promise<LiveExit>((resolve) => (this.finish = resolve));
    this.watch();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Receives every chunk of output (stdout and stderr, or the terminal) from now on, in arrival order. */
  onOutput(listener: (chunk: Buffer) => void): void {
    this.listeners.push(listener);
  }

  /** Types `text` into the terminal; false when there is none or the process has ended. */
  write(text: string): boolean {
    const stdin = this.child.stdin;
    if (!this.tty || this.exit || !stdin || stdin.destroyed) return false;
    stdin.write(text);
    return true;
  }

  /** Ends the process (SIGKILL to its group); `done` resolves once it is gone. */
  kill(): void {
    if (this.exit) return;
    this.killed = true;
    this.started.kill();
  }

  private emit(chunk: Buffer): void {
    if (this.bwrap?.recalled && this.head.length < 256) this.head += chunk.toString('utf8');
    for (const l of this.listeners) l(chunk);
  }

  private watch(): void {
    const { child } = this;
    let exitCode: number | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    const end = (): void => {
      if (this.exit || exitCode === undefined) return;
      clearTimeout(drainTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      this.started.release();
      if (this.bwrap) this.sandboxError = checkRecalledSandbox(this.bwrap, exitCode, this.head);
      this.exit = { exitCode };
      this.finish(this.exit);
    };
    child.stdin?.on('error', () => undefined); // the process went away while input was on its way
    child.stdout?.on('data', (c: Buffer) => this.emit(c));
    child.stderr?.on('data', (c: Buffer) => this.emit(c));
    child.on('error', (e) => {
      if (exitCode !== undefined) return;
      this.emit(Buffer.from(`failed to start the command: ${e.message}\n`));
      exitCode = 1;
      end();
    });
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      // What it left running in its group ends with it.
      killProcessGroup(child.pid);
      drainTimer = setTimeout(end, this.killed ? 200 : DRAIN_MS);
    });
    child.on('close', end);
  }
}

/**
 * Starts `req` and returns at once. Throws `ProgramNotFoundError` when the program does not exist and
 * `SandboxUnavailableError` when the policy needs a sandbox that cannot be built here.
 */
export function startLiveProcess(req: LiveRequest): LiveProcess {
  let spawnReq: SpawnRequest = req;
  if (req.terminal !== undefined) {
    // The command's own program must exist; `script` would otherwise report it in its own words.
    resolveProgram(req.argv[0] ?? '', req.env.PATH, resolve(req.root, req.cwd));
    const wrapped = onTerminal(req.terminal, req.argv, req.env);
    spawnReq = { ...req, argv: wrapped.argv, env: wrapped.env };
  }
  const plan = planSpawn(spawnReq);
  const tty = req.terminal !== undefined;
  const started = startPlan(plan, [tty ? 'pipe' : 'ignore', 'pipe', 'pipe'], { detached: true });
  const proc = new LiveProcess(started, plan.sandboxed, tty, plan.bwrap);
  // Killed with everything it started if opencodex ends first: startPlan holds every detached group.
  return proc;
}
