/**
 * Random bytes and hashes without loading `node:crypto` up front. Node 20 compiles some twenty internal
 * modules for `require('node:crypto')` (≈ 2.3 ms on the team's machine), a cost every `exec` paid before its
 * first request just to make a thread id. Random bytes come from the kernel's CSPRNG (`/dev/urandom`, read in
 * blocks and handed out from a pool); where that device cannot be read, and for hashes, `node:crypto` is
 * loaded on first use.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

let crypto: NodeCrypto | undefined;
/** `node:crypto`, loaded on first use (a built-in resolves the same from any base path). */
function nodeCrypto(): NodeCrypto {
  crypto ??= createRequire('/')('node:crypto') as NodeCrypto;
  return crypto;
}

const POOL_BYTES = 4096;
let pool: Buffer | undefined;
let used = POOL_BYTES;
let device = true;

/** Fills the pool from /dev/urandom; false when the device cannot be read whole. */
function refill(): boolean {
  if (!device) return false;
  let fd: number | undefined;
  try {
    fd = openSync('/dev/urandom', 'r');
    const fresh = Buffer.allocUnsafe(POOL_BYTES);
    let got = 0;
    while (got < POOL_BYTES) {
      const n = readSync(fd, fresh, got, POOL_BYTES - got, null);
      if (n <= 0) throw new Error('short read');
      got += n;
    }
    pool = fresh;
    used = 0;
    return true;
  } catch {
    device = false;
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `n` cryptographically strong random bytes (a new buffer the caller owns). */
export function randomBytes(n: number): Buffer {
  if (n > POOL_BYTES / 4) return nodeCrypto().randomBytes(n);
  if (used + n > POOL_BYTES && !refill()) return nodeCrypto().randomBytes(n);
  const out = Buffer.from((pool as Buffer).subarray(used, used + n));
  // Handed-out bytes are wiped from the pool, so no later caller (or heap dump) sees them twice.
  (pool as Buffer).fill(0, used, used + n);
  used += n;
  return out;
}

/** A uniformly random integer in [min, max) (max − min ≤ 2^32), without modulo bias. */
export function randomInt(min: number, max: number): number {
  const range = max - min;
  if (!Number.isInteger(min) || !Number.isInteger(max) || range <= 0 || range > 2 ** 32) {
    throw new RangeError(`randomInt: [${min}, ${max}) is not a range of at most 2^32 integers`);
  }
  // The largest multiple of `range` that fits in 32 bits: values at or above it are drawn again.
  const limit = 2 ** 32 - (2 ** 32 % range);
  for (;;) {
    const v = randomBytes(4).readUInt32BE(0);
    if (v < limit) return min + (v % range);
  }
}

/** 16 bytes as a UUID of `version` (RFC 9562): the version and variant bits set, in 8-4-4-4-12 hex form. */
export function uuidText(b: Buffer, version: number): string {
  b[6] = ((b[6] as number) & 0x0f) | (version << 4);
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A random (version 4) UUID. */
export function randomUUID(): string {
  return uuidText(randomBytes(16), 4);
}

/** The hex digest of `text` under `algorithm` (`sha256`, `sha1`, …). */
export function hashHex(algorithm: string, text: string): string {
  return nodeCrypto().createHash(algorithm).update(text).digest('hex');
}
