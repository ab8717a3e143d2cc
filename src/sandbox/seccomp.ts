/**
 * The seccomp filter a sandboxed command gets when its network is off, as a compiled classic-BPF program
 * for bubblewrap's `--seccomp FD` (bwrap reads the raw `struct sock_filter` array from the descriptor and
 * installs it, with no_new_privs, just before running the command). No native module is involved: the
 * program is assembled here from a few instructions.
 *
 * Why: `--unshare-net` gives the command a network namespace with only loopback, but UNIX-domain sockets
 * on the host's filesystem (docker.sock, an ssh-agent, the D-Bus system bus) stay reachable through the
 * read-only view of `/`, since connecting to a socket is not a write. The filter answers EPERM to:
 *   - `socket(AF_UNIX, …)`: no new UNIX socket, so nothing can `connect` to a path or send a datagram to one;
 *   - `socketpair(AF_UNIX, type)` unless `type` is SOCK_STREAM or SOCK_SEQPACKET: a connected stream pair
 *     cannot be pointed anywhere else, but a datagram pair could `sendto` a host socket's path;
 *   - `io_uring_setup`/`io_uring_enter`/`io_uring_register`: io_uring can create and connect sockets
 *     without the system calls seccomp sees;
 *   - on x86-64, the 32-bit entry points: `socketcall` (whose arguments seccomp cannot read) and the i386
 *     `socket`/`socketpair` numbers, and any x32 system call.
 * Everything else is allowed, including TCP/UDP sockets (they only reach the sandbox's own loopback) and
 * the socketpairs Node, Python and most tools use between a parent and its children.
 */

/** `struct seccomp_data`: `int nr; u32 arch; u64 instruction_pointer; u64 args[6]` (little-endian). */
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const argLow = (i: number): number => 16 + 8 * i;

// Classic BPF opcodes (linux/bpf_common.h).
const BPF_LD_W_ABS = 0x00 | 0x00 | 0x20;
const BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00;
const BPF_JMP_JGE_K = 0x05 | 0x30 | 0x00;
const BPF_ALU_AND_K = 0x04 | 0x50 | 0x00;
const BPF_RET_K = 0x06 | 0x00;

// linux/seccomp.h, linux/audit.h, sys/socket.h, asm-generic/errno-base.h.
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const EPERM = 1;
export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_I386 = 0x40000003;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
export const AUDIT_ARCH_ARM = 0x40000028;
export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_SEQPACKET = 5;
const SOCK_TYPE_MASK = 0xf;
const X32_SYSCALL_BIT = 0x40000000;

/** The system call numbers the filter looks at, per architecture (from each one's unistd table). */
interface SyscallTable {
  arch: number;
  socket: number;
  socketpair: number;
  /** Multiplexed socket calls whose arguments live in memory seccomp cannot read (i386 only). */
  socketcall?: number;
  ioUring: readonly number[];
  /** Numbers at or above this are another ABI sharing the architecture (x32 on x86-64). */
  foreignAbove?: number;
}

const IO_URING = [425, 426, 427] as const;
const X86_64: SyscallTable = { arch: AUDIT_ARCH_X86_64, socket: 41, socketpair: 53, ioUring: IO_URING, foreignAbove: X32_SYSCALL_BIT };
const I386: SyscallTable = { arch: AUDIT_ARCH_I386, socket: 359, socketpair: 360, socketcall: 102, ioUring: IO_URING };
const AARCH64: SyscallTable = { arch: AUDIT_ARCH_AARCH64, socket: 198, socketpair: 199, ioUring: IO_URING };
const ARM: SyscallTable = { arch: AUDIT_ARCH_ARM, socket: 281, socketpair: 288, ioUring: IO_URING };

/** The tables a process on each Node architecture can reach (its native ABI and its 32-bit compat ABI). */
const TABLES: Partial<Record<NodeJS.Architecture, readonly SyscallTable[]>> = {
  x64: [X86_64, I386],
  arm64: [AARCH64, ARM],
};

/** One `struct sock_filter` instruction; `jt`/`jf` name labels until assembled. */
interface Insn {
  code: number;
  k: number;
  jt?: string;
  jf?: string;
  label?: string;
}

const DENY = 'deny';
const ALLOW = 'allow';

function load(offset: number, label?: string): Insn {
  return { code: BPF_LD_W_ABS, k: offset, ...(label ? { label } : {}) };
}
function jeq(k: number, jt: string, jf?: string): Insn {
  return { code: BPF_JMP_JEQ_K, k, jt, ...(jf ? { jf } : {}) };
}

/** The instructions for one architecture's section (entered with the architecture word loaded). */
function section(t: SyscallTable, index: number): Insn[] {
  const p = `a${index}`;
  const out: Insn[] = [load(OFFSET_NR, `${p}:start`)];
  if (t.foreignAbove !== undefined) out.push({ code: BPF_JMP_JGE_K, k: t.foreignAbove, jt: DENY });
  out.push(jeq(t.socket, `${p}:socket`));
  out.push(jeq(t.socketpair, `${p}:socketpair`));
  if (t.socketcall !== undefined) out.push(jeq(t.socketcall, DENY));
  for (const nr of t.ioUring) out.push(jeq(nr, DENY));
  out.push({ code: BPF_RET_K, k: SECCOMP_RET_ALLOW });
  out.push(load(argLow(0), `${p}:socket`), jeq(AF_UNIX, DENY, ALLOW));
  out.push(load(argLow(0), `${p}:socketpair`), jeq(AF_UNIX, `${p}:pairtype`, ALLOW));
  out.push(load(argLow(1), `${p}:pairtype`), { code: BPF_ALU_AND_K, k: SOCK_TYPE_MASK });
  out.push(jeq(SOCK_STREAM, ALLOW), jeq(SOCK_SEQPACKET, ALLOW, DENY));
  return out;
}

/** Resolves label jumps into forward offsets and encodes the program (8 bytes an instruction). */
function assemble(insns: Insn[]): Buffer {
  const at = new Map<string, number>();
  insns.forEach((insn, i) => {
    if (insn.label) at.set(insn.label, i);
  });
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((insn, i) => {
    const offset = (label: string | undefined): number => {
      if (label === undefined) return 0;
      const target = at.get(label);
      if (target === undefined) throw new Error(`seccomp: unknown label ${label}`);
      const d = target - i - 1;
      if (d < 0 || d > 255) throw new Error(`seccomp: jump to ${label} out of range`);
      return d;
    };
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(offset(insn.jt), i * 8 + 2);
    buf.writeUInt8(offset(insn.jf), i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}

/** Whether this machine's architecture has a filter (x86-64 and arm64, each with its 32-bit ABI). */
export function networkFilterSupported(arch: NodeJS.Architecture = process.arch): boolean {
  return TABLES[arch] !== undefined && isLittleEndian();
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

const cache = new Map<string, Buffer>();

/**
 * The compiled filter for `arch` (default: this process's). A system call from an architecture the filter
 * does not know is refused with EPERM, so no ABI can slip past it.
 */
export function networkFilter(arch: NodeJS.Architecture = process.arch): Buffer {
  const cached = cache.get(arch);
  if (cached) return cached;
  const tables = TABLES[arch];
  if (!tables || !networkFilterSupported(arch)) throw new Error(`no seccomp filter for the ${arch} architecture`);
  const insns: Insn[] = [load(OFFSET_ARCH)];
  tables.forEach((t, i) => insns.push(jeq(t.arch, `a${i}:start`)));
  insns.push({ code: BPF_RET_K, k: SECCOMP_RET_ERRNO | EPERM });
  tables.forEach((t, i) => insns.push(...section(t, i)));
  insns.push({ code: BPF_RET_K, k: SECCOMP_RET_ALLOW, label: ALLOW });
  insns.push({ code: BPF_RET_K, k: SECCOMP_RET_ERRNO | EPERM, label: DENY });
  const program = assemble(insns);
  cache.set(arch, program);
  return program;
}
