/**
 * The generated seccomp program, run through a small classic-BPF interpreter (the subset seccomp allows)
 * over `struct seccomp_data` the way the kernel lays it out; then the real thing under bwrap.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AF_UNIX,
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_ARM,
  AUDIT_ARCH_I386,
  AUDIT_ARCH_X86_64,
  EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SOCK_SEQPACKET,
  SOCK_STREAM,
} from '../../src/sandbox/seccomp.js';
import { networkFilter, networkFilterSupported } from '../../src/sandbox/index.js';

const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const DENY = SECCOMP_RET_ERRNO | EPERM;

/** Runs a program over one system call; returns the action. Throws on anything seccomp would reject. */
function run(program: Buffer, arch: number, nr: number, args: number[] = []): number {
  const data = Buffer.alloc(64);
  data.writeInt32LE(nr, 0);
  data.writeUInt32LE(arch >>> 0, 4);
  args.forEach((a, i) => data.writeBigUInt64LE(BigInt.asUintN(64, BigInt(a)), 16 + 8 * i));
  let acc = 0;
  let pc = 0;
  const count = program.length / 8;
  for (let steps = 0; steps < 4096; steps++) {
    if (pc >= count) throw new Error('fell off the end of the program');
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    pc++;
    switch (code) {
      case 0x20: // ld [k]
        if (k % 4 !== 0 || k > 60) throw new Error(`bad load offset ${k}`);
        acc = data.readUInt32LE(k);
        break;
      case 0x54: // and #k
        acc = (acc & k) >>> 0;
        break;
      case 0x15: // jeq #k
        pc += acc === k ? jt : jf;
        break;
      case 0x35: // jge #k
        pc += acc >= k ? jt : jf;
        break;
      case 0x06: // ret #k
        return k;
      default:
        throw new Error(`opcode 0x${code.toString(16)} not expected`);
    }
  }
  throw new Error('no verdict');
}

describe('the network filter program', () => {
  const x64 = networkFilter('x64');
  const arm64 = networkFilter('arm64');

  it('is a whole number of 8-byte instructions, short, and ends every path in a verdict', () => {
    for (const p of [x64, arm64]) {
      expect(p.length % 8).toBe(0);
      expect(p.length / 8).toBeLessThan(100);
    }
    expect(networkFilterSupported('x64')).toBe(true);
    expect(networkFilterSupported('arm64')).toBe(true);
    expect(networkFilterSupported('s390x')).toBe(false);
    expect(() => networkFilter('s390x')).toThrow(/no seccomp filter/);
  });

  it('x86-64: refuses AF_UNIX sockets, allows the others', () => {
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [AF_UNIX, SOCK_STREAM])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [AF_INET, SOCK_STREAM])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [AF_INET6, SOCK_DGRAM])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [AF_NETLINK, SOCK_DGRAM])).toBe(SECCOMP_RET_ALLOW);
    // The high half of the 64-bit argument does not matter (the kernel takes an int).
    expect(run(x64, AUDIT_ARCH_X86_64, 41, [0x1_0000_0000 + AF_UNIX, SOCK_STREAM])).toBe(DENY);
  });

  it('x86-64: socketpair only as a stream or seqpacket pair, whatever the flags', () => {
    expect(run(x64, AUDIT_ARCH_X86_64, 53, [AF_UNIX, SOCK_STREAM])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_X86_64, 53, [AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_X86_64, 53, [AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_X86_64, 53, [AF_UNIX, SOCK_DGRAM])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_X86_64, 53, [AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC])).toBe(DENY);
  });

  it('x86-64: io_uring, x32 calls and unrelated calls', () => {
    for (const nr of [425, 426, 427]) expect(run(x64, AUDIT_ARCH_X86_64, nr)).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_X86_64, 0x40000000 + 41, [AF_INET])).toBe(DENY);
    for (const nr of [0, 1, 2, 42, 59, 257]) expect(run(x64, AUDIT_ARCH_X86_64, nr, [AF_UNIX])).toBe(SECCOMP_RET_ALLOW);
  });

  it('i386 (int 0x80 from an x86-64 process): socketcall is refused, the direct calls checked', () => {
    expect(run(x64, AUDIT_ARCH_I386, 102, [1])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_I386, 359, [AF_UNIX, SOCK_STREAM])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_I386, 359, [AF_INET, SOCK_STREAM])).toBe(SECCOMP_RET_ALLOW);
    expect(run(x64, AUDIT_ARCH_I386, 360, [AF_UNIX, SOCK_DGRAM])).toBe(DENY);
    expect(run(x64, AUDIT_ARCH_I386, 41, [AF_UNIX])).toBe(SECCOMP_RET_ALLOW); // 41 is dup on i386
  });

  it('arm64 and its 32-bit ABI use their own numbers', () => {
    expect(run(arm64, AUDIT_ARCH_AARCH64, 198, [AF_UNIX, SOCK_STREAM])).toBe(DENY);
    expect(run(arm64, AUDIT_ARCH_AARCH64, 199, [AF_UNIX, SOCK_DGRAM])).toBe(DENY);
    expect(run(arm64, AUDIT_ARCH_AARCH64, 199, [AF_UNIX, SOCK_STREAM])).toBe(SECCOMP_RET_ALLOW);
    expect(run(arm64, AUDIT_ARCH_AARCH64, 41, [AF_UNIX])).toBe(SECCOMP_RET_ALLOW);
    expect(run(arm64, AUDIT_ARCH_ARM, 281, [AF_UNIX, SOCK_STREAM])).toBe(DENY);
    expect(run(arm64, AUDIT_ARCH_ARM, 288, [AF_UNIX, SOCK_DGRAM])).toBe(DENY);
    expect(run(arm64, AUDIT_ARCH_AARCH64, 425)).toBe(DENY);
  });

  it('an architecture the filter does not know gets EPERM for everything', () => {
    expect(run(x64, AUDIT_ARCH_AARCH64, 0)).toBe(DENY);
    expect(run(arm64, AUDIT_ARCH_X86_64, 0)).toBe(DENY);
  });
});

describe('the filter under the real bwrap', () => {
  it('bwrap loads it from a descriptor and the kernel enforces it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocx-seccomp-'));
    writeFileSync(join(dir, 'program'), networkFilter());
    const fd = openSync(join(dir, 'program'), 'r');
    const script = `grep Seccomp: /proc/self/status; node -e "require('net').connect('/nonexistent.sock').on('error',e=>console.log('connect',e.code))"`;
    try {
      const out = spawnSync(
        'bwrap',
        ['--unshare-user', '--cap-drop', 'ALL', '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-net', '--seccomp', '3', '--', 'sh', '-c', script],
        { stdio: ['ignore', 'pipe', 'pipe', fd], encoding: 'utf8' },
      );
      expect(out.stderr).toBe('');
      expect(out.stdout).toMatch(/Seccomp:\s+2/);
      // Without the filter this would be ENOENT: the socket path does not exist.
      expect(out.stdout).toMatch(/connect EPERM/);
    } finally {
      closeSync(fd);
    }
  });
});
