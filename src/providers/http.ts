/**
 * One HTTP request over Node's `http`/`https` modules, with a streamed request body and a pulled response
 * body. Node's `fetch` would load its bundled HTTP client (undici, ~20 ms of module compilation before the
 * first request of every run); this needs only what Node has already loaded.
 *
 * What the caller gets: the status, the headers and a body reader (`read()`, `cancel()`), decompressed when
 * the server sent it gzip-, deflate- or brotli-encoded although nothing asked for that. A request that
 * cannot connect within `CONNECT_TIMEOUT_MS`, or gets no response headers within `headersTimeoutMs` (when
 * set), fails with `HttpTimeoutError`; other failures are Node's errors (with their `code`, e.g.
 * ECONNREFUSED). Aborting `signal` destroys the request and its response.
 */
import type { ClientRequest, IncomingMessage, RequestOptions } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Readable } from 'node:stream';

/** How long a connection may take to open (Node's `fetch` allowed 10 s too). */
export const CONNECT_TIMEOUT_MS = 10_000;

/** The server took too long to accept the connection or to answer with headers. */
export class HttpTimeoutError extends Error {
  constructor(message = 'request timed out') {
    super(message);
    this.name = 'HttpTimeoutError';
  }
}

/** The request was aborted through its signal. */
export class HttpAbortError extends Error {
  constructor() {
    super('request aborted');
    this.name = 'HttpAbortError';
  }
}

export type BodyRead = { done: false; value: Uint8Array } | { done: true; value?: undefined };

/** A response body, pulled chunk by chunk. */
export interface BodyReader {
  /** The next chunk, or done; rejects when the connection breaks before the body ends. */
  read(): Promise<BodyRead>;
  /** Stops reading and closes the connection (safe to call at any time, more than once). */
  cancel(): void;
}

/** Response headers, looked up case-insensitively (several values joined with ", "). */
export interface ReplyHeaders {
  get(name: string): string | null;
}

export interface HttpReply {
  status: number;
  headers: ReplyHeaders;
  body: BodyReader;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  /** Header names as given; later duplicates (any case) replace earlier ones. */
  headers: Record<string, string>;
  /** The request body in chunks (written with backpressure); none for GET. */
  body?: AsyncIterable<Uint8Array>;
  signal: AbortSignal;
  /** Longest wait for the response headers, from the start; none: no limit here. */
  headersTimeoutMs?: number;
}

function replyHeaders(res: IncomingMessage): ReplyHeaders {
  return {
    get(name: string): string | null {
      const v = res.headers[name.toLowerCase()];
      if (v === undefined) return null;
      return Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** Most bytes held unread before the stream is paused (backpressure). */
const MAX_QUEUED_BYTES = 1 << 20;

/**
 * Pulls a readable stream: each read returns everything that arrived since the last one (a server writing
 * one small event at a time would otherwise cost a read per event).
 */
export function bodyReader(stream: Readable, onCancel: () => void): BodyReader {
  let queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: Error | null = null;
  let waiting: { resolve: (r: BodyRead) => void; reject: (e: Error) => void } | null = null;
  const settle = (): void => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length > 0) {
      waiting = null;
      const value = queue.length === 1 ? (queue[0] as Buffer) : Buffer.concat(queue, queued);
      queue = [];
      queued = 0;
      if (stream.isPaused()) stream.resume();
      w.resolve({ done: false, value });
    } else if (failure) {
      waiting = null;
      w.reject(failure);
    } else if (ended) {
      waiting = null;
      w.resolve({ done: true });
    }
  };
  stream.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > MAX_QUEUED_BYTES) stream.pause();
    settle();
  });
  stream.on('end', () => {
    ended = true;
    settle();
  });
  stream.on('error', (err: Error) => {
    failure ??= err;
    settle();
  });
  stream.on('close', () => {
    if (!ended) failure ??= new Error('the connection closed before the response ended');
    settle();
  });
  return {
    read: () =>
      new Promise<BodyRead>((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      }),
    cancel: () => {
      queue = [];
      queued = 0;
      // A body read to its end leaves the connection to be reused.
      if (ended && failure === null) return;
      ended = true;
      onCancel();
    },
  };
}

/** The Content-Encoding of a reply, when it is one to undo (only identity is asked for). */
function encodingOf(res: IncomingMessage): 'gzip' | 'deflate' | 'br' | null {
  const encoding = (res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return 'gzip';
  return encoding === 'deflate' || encoding === 'br' ? encoding : null;
}

/**
 * The decompressed body of `res` (zlib is loaded only for such a reply). An error of `res` before the
 * decompressor is in place is kept and passed on to it, so no failure goes unseen.
 */
async function inflated(res: IncomingMessage, encoding: 'gzip' | 'deflate' | 'br'): Promise<Readable> {
  let early: Error | undefined;
  const keep = (err: Error): void => void (early ??= err);
  res.on('error', keep);
  const zlib = await import('node:zlib');
  res.off('error', keep);
  const inflate = encoding === 'gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : zlib.createBrotliDecompress();
  res.on('error', (err) => inflate.destroy(err));
  res.on('aborted', () => inflate.destroy(new Error('aborted')));
  if (early) inflate.destroy(early);
  else res.pipe(inflate);
  return inflate;
}

/** Sends `req`; resolves once the response headers are in. */
export async function send(req: HttpRequest): Promise<HttpReply> {
  if (req.signal.aborted) throw new HttpAbortError();
  const headers = new Map<string, [string, string]>();
  for (const [name, value] of Object.entries(req.headers)) headers.set(name.toLowerCase(), [name, value]);
  const https = req.url.protocol === 'https:';
  const request = https ? (await import('node:https')).request : httpRequest;
  const options: RequestOptions = {
    method: req.method,
    headers: Object.fromEntries(headers.values()),
  };
  return new Promise<HttpReply>((resolve, reject) => {
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    let client: ClientRequest | undefined;
    const settled = (): void => {
      done = true;
      for (const t of timers) clearTimeout(t);
      req.signal.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error): void => {
      if (done) return;
      settled();
      client?.destroy();
      reject(err);
    };
    const onAbort = (): void => fail(new HttpAbortError());
    try {
      client = request(req.url, options);
    } catch (err) {
      reject(err as Error);
      return;
    }
    const c = client;
    req.signal.addEventListener('abort', onAbort, { once: true });
    if (req.headersTimeoutMs !== undefined) {
      timers.push(setTimeout(() => fail(new HttpTimeoutError(`no response within ${req.headersTimeoutMs} ms`)), req.headersTimeoutMs));
    }
    c.on('socket', (socket) => {
      if (!socket.connecting) return;
      const t = setTimeout(() => fail(new HttpTimeoutError(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      timers.push(t);
      socket.once('connect', () => clearTimeout(t));
    });
    c.on('error', (err) => fail(req.signal.aborted ? new HttpAbortError() : err));
    c.on('response', (res) => {
      if (done) {
        res.destroy();
        return;
      }
      settled();
      // From now on an abort ends the body (a pending read rejects).
      const onBodyAbort = (): void => void res.destroy(new HttpAbortError());
      req.signal.addEventListener('abort', onBodyAbort, { once: true });
      res.once('close', () => req.signal.removeEventListener('abort', onBodyAbort));
      const close = (): void => {
        res.destroy();
        c.destroy();
      };
      const reply = (stream: Readable): HttpReply => ({ status: res.statusCode ?? 0, headers: replyHeaders(res), body: bodyReader(stream, close) });
      const encoding = encodingOf(res);
      // The reader is attached at once (in this tick), so nothing the body does is missed.
      if (encoding === null) {
        resolve(reply(res));
        return;
      }
      inflated(res, encoding).then(
        (stream) => resolve(reply(stream)),
        (err: unknown) => {
          close();
          reject(err as Error);
        },
      );
    });
    void writeBody(c, req.body).catch((err: unknown) => fail(err as Error));
  });
}

async function writeBody(client: ClientRequest, body: AsyncIterable<Uint8Array> | undefined): Promise<void> {
  if (body) {
    for await (const chunk of body) {
      if (client.destroyed) return;
      if (!client.write(chunk)) {
        await new Promise<void>((resolve) => {
          const go = (): void => {
            client.off('drain', go);
            client.off('close', go);
            resolve();
          };
          client.on('drain', go);
          client.on('close', go);
        });
      }
    }
  }
  if (!client.destroyed) client.end();
}

/** The whole body as text (error replies and JSON). */
export async function readText(body: BodyReader): Promise<string> {
  const text = new TextDecoder();
  let all = '';
  for (;;) {
    const r = await body.read();
    if (r.done) return all + text.decode();
    all += text.decode(r.value, { stream: true });
  }
}
