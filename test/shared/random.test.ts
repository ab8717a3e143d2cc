import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashHex, randomBytes, randomInt, randomUUID, uuidv7 } from '../../src/shared/index.js';

describe('random values without node:crypto up front', () => {
  it('hands out fresh bytes: no two draws repeat, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) seen.add(randomBytes(8).toString('hex'));
    expect(seen.size).toBe(3000);
    // Every byte value turns up (a stuck or zeroed pool would not do that).
    const counts = new Array<number>(256).fill(0);
    for (const b of randomBytes(1024)) counts[b] = (counts[b] ?? 0) + 1;
    for (let i = 0; i < 200; i++) for (const b of randomBytes(16)) counts[b] = (counts[b] ?? 0) + 1;
    expect(counts.filter((c) => c === 0).length).toBeLessThan(3);
  });

  it('gives large requests whole, and a new buffer each time', () => {
    const a = randomBytes(5000);
    expect(a.length).toBe(5000);
    const b = randomBytes(16);
    b.fill(0);
    expect(randomBytes(16).equals(Buffer.alloc(16))).toBe(false);
  });

  it('randomInt stays in [min, max) and covers it', () => {
    const hits = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = randomInt(1000, 1010);
      expect(v).toBeGreaterThanOrEqual(1000);
      expect(v).toBeLessThan(1010);
      hits.add(v);
    }
    expect(hits.size).toBe(10);
    expect(() => randomInt(5, 5)).toThrow(RangeError);
    expect(() => randomInt(0, 2 ** 33)).toThrow(RangeError);
  });

  it('UUIDs carry their version and variant', () => {
    expect(randomUUID()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const id = uuidv7(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidv7()).not.toBe(uuidv7());
  });

  it('hashes as node:crypto does', () => {
    expect(hashHex('sha256', 'abc')).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(hashHex('sha1', 'abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});
