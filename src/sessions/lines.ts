/**
 * Reading a JSONL file line by line in fixed-size chunks, so memory holds one chunk and one line at a
 * time however large the file is.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 1 << 22;

/**
 * Calls `onLine(text, lineNo, last, offset)` for every line (1-based numbers; empty lines included).
 * `last` is true for a final line that has no newline after it; `offset` is the byte offset where the line
 * starts. Returning `false` stops the reading.
 */
export function forEachLine(path: string, onLine: (text: string, lineNo: number, last: boolean, offset: number) => void | boolean): void {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let carry: Buffer | undefined;
    let lineNo = 0;
    /** Bytes of the file before `buf`. */
    let read = 0;
    /** Where the line being assembled starts. */
    let lineStart = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, start);
        if (nl === -1 || nl >= n) break;
        lineNo++;
        let text: string;
        if (carry) {
          text = Buffer.concat([carry, buf.subarray(start, nl)]).toString('utf8');
          carry = undefined;
        } else {
          text = buf.toString('utf8', start, nl);
        }
        if (onLine(text, lineNo, false, lineStart) === false) return;
        start = nl + 1;
        lineStart = read + start;
      }
      if (start < n) {
        const rest = Buffer.from(buf.subarray(start, n));
        carry = carry ? Buffer.concat([carry, rest]) : rest;
      }
      read += n;
    }
    if (carry && carry.length > 0) onLine(carry.toString('utf8'), lineNo + 1, true, lineStart);
  } finally {
    closeSync(fd);
  }
}

/** The first line of a file, reading at most `maxBytes` (undefined when there is no complete line). */
export function readFirstLine(path: string, maxBytes = 1 << 20): string | undefined {
  return readHead(path, maxBytes).lines[0];
}

/** The complete lines within the first `maxBytes` of a file. */
export function readHead(path: string, maxBytes: number): { lines: string[] } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(maxBytes);
    let got = 0;
    while (got < maxBytes) {
      const n = readSync(fd, buf, got, maxBytes - got, got);
      if (n === 0) break;
      got += n;
      // Stop early once the first line is complete and a few kilobytes more are in.
      if (got >= 65536 && buf.subarray(0, got).includes(0x0a)) break;
    }
    const end = buf.lastIndexOf(0x0a, got - 1);
    if (end < 0) return { lines: [] };
    return { lines: buf.toString('utf8', 0, end).split('\n') };
  } finally {
    closeSync(fd);
  }
}

/** The complete lines within the last `maxBytes` of a file (the first, possibly partial, line dropped). */
export function readTail(path: string, size: number, maxBytes: number): string[] {
  const fd = openSync(path, 'r');
  try {
    const len = Math.min(size, maxBytes);
    const buf = Buffer.allocUnsafe(len);
    let got = 0;
    while (got < len) {
      const n = readSync(fd, buf, got, len - got, size - len + got);
      if (n === 0) break;
      got += n;
    }
    const lines = buf.toString('utf8', 0, got).split('\n');
    if (len < size) lines.shift();
    return lines.filter((l) => l !== '');
  } finally {
    closeSync(fd);
  }
}
