/**
 * A Server-Sent Events decoder (wire.md §1): `\n`, `\r\n` or `\r` line ends, `event:`/`data:` fields,
 * multi-line data joined with `\n`, comment lines (`: keep-alive`) skipped, events split across reads.
 * Feeds text, not bytes: the caller decodes UTF-8 with a streaming TextDecoder.
 */

export interface SseEvent {
  event: string | undefined;
  data: string;
}

export class SseDecoder {
  private buf = '';
  private data: string | undefined;
  private event: string | undefined;
  /** The previous chunk ended in `\r`: a `\n` starting the next one belongs to the same line end. */
  private pendingCR = false;

  /** Decodes `text` and calls `onEvent` for every complete event. */
  feed(text: string, onEvent: (e: SseEvent) => void): void {
    if (text.length === 0) return;
    if (this.pendingCR && text.charCodeAt(0) === 10) text = text.slice(1);
    this.pendingCR = text.charCodeAt(text.length - 1) === 13;
    if (text.indexOf('\r') !== -1) text = text.replace(/\r\n?/g, '\n');
    const buf = this.buf.length === 0 ? text : this.buf + text;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf('\n', pos);
      if (nl === -1) break;
      this.line(buf, pos, nl, onEvent);
      pos = nl + 1;
    }
    this.buf = pos === 0 ? buf : buf.slice(pos);
  }

  /** The input ended: a final event without its blank line still counts. */
  end(onEvent: (e: SseEvent) => void): void {
    if (this.buf.length > 0) {
      const rest = this.buf;
      this.buf = '';
      this.line(rest, 0, rest.length, onEvent);
    }
    this.dispatch(onEvent);
  }

  private line(buf: string, start: number, end: number, onEvent: (e: SseEvent) => void): void {
    if (start === end) {
      this.dispatch(onEvent);
      return;
    }
    const first = buf.charCodeAt(start);
    if (first === 58 /* : */) return;
    // Fast path: "data: ..." is nearly every line.
    if (first === 100 && buf.startsWith('data:', start)) {
      const from = buf.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = buf.slice(from, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      return;
    }
    const colon = buf.indexOf(':', start);
    const hasColon = colon !== -1 && colon < end;
    const field = buf.slice(start, hasColon ? colon : end);
    let value = '';
    if (hasColon) value = buf.slice(buf.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1, end);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    // id, retry and unknown fields carry nothing a model stream needs.
  }

  private dispatch(onEvent: (e: SseEvent) => void): void {
    if (this.data !== undefined) onEvent({ event: this.event, data: this.data });
    this.data = undefined;
    this.event = undefined;
  }
}
