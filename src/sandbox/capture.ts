/**
 * Capturing a command's output within a byte cap: the first half of the cap and the last half are kept
 * (the end is where errors are), the middle is dropped, and what was printed in all is counted anyway, so
 * a report can say how much it left out.
 */

/** What a command printed in all, also what did not fit the capture. */
export interface OutputTotals {
  bytes: number;
  /** Unicode characters (UTF-8 sequences). */
  chars: number;
  /** Lines, as `text.split('\n').length` counts them. */
  lines: number;
}

export interface Captured {
  /** The kept head and tail, decoded, joined where the middle was dropped. */
  text: string;
  /** When the middle was dropped: the index in `text` where it was. */
  gap?: number;
  totals: OutputTotals;
}

const isContinuation = (b: number): boolean => (b & 0xc0) === 0x80;

export class Capture {
  private readonly head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  private bytes = 0;
  private chars = 0;
  private newlines = 0;
  private readonly headCap: number;
  private readonly tailCap: number;

  constructor(cap: number) {
    this.headCap = Math.ceil(cap / 2);
    this.tailCap = Math.floor(cap / 2);
  }

  /** Output beyond the cap was dropped. */
  get truncated(): boolean {
    return this.bytes > this.headSize + this.tailSize;
  }

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (!isContinuation(b)) this.chars++;
      if (b === 0x0a) this.newlines++;
    }
    let rest = chunk;
    const room = this.headCap - this.headSize;
    if (room > 0) {
      const kept = rest.length > room ? rest.subarray(0, room) : rest;
      this.head.push(kept);
      this.headSize += kept.length;
      rest = rest.subarray(kept.length);
    }
    if (rest.length === 0 || this.tailCap === 0) return;
    this.tail.push(rest);
    this.tailSize += rest.length;
    while (this.tailSize > this.tailCap) {
      const first = this.tail[0] as Buffer;
      const over = this.tailSize - this.tailCap;
      if (first.length <= over) {
        this.tail.shift();
        this.tailSize -= first.length;
      } else {
        this.tail[0] = first.subarray(over);
        this.tailSize -= over;
      }
    }
  }

  result(): Captured {
    const totals: OutputTotals = { bytes: this.bytes, chars: this.chars, lines: this.newlines + 1 };
    let head = Buffer.concat(this.head, this.headSize);
    let tail = Buffer.concat(this.tail, this.tailSize);
    if (!this.truncated) return { text: Buffer.concat([head, tail]).toString('utf8'), totals };
    // Cut both halves on character boundaries; the partial characters count as dropped.
    let end = head.length;
    if (end > 0) {
      let i = end - 1;
      while (i > 0 && isContinuation(head[i] as number)) i--;
      const lead = head[i] as number;
      const need = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
      if (end - i < need) end = i;
    }
    head = head.subarray(0, end);
    let start = 0;
    while (start < tail.length && isContinuation(tail[start] as number)) start++;
    tail = tail.subarray(start);
    const headText = head.toString('utf8');
    return { text: headText + tail.toString('utf8'), gap: headText.length, totals };
  }
}
