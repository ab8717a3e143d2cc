/**
 * The HTTP layer under both wire APIs (src/providers/http.ts and the Transport over it): what goes on the
 * wire (URL with query params, merged headers, the body with its length), what comes back (status, headers,
 * a body pulled chunk by chunk, decompressed if the server compressed it unasked), timeouts, aborts, and
 * connection reuse. Everything runs against servers on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { bodyReader, HttpAbortError, HttpTimeoutError, readText, send } from '../../src/providers/http.js';
import { requestUrl, Transport } from '../../src/providers/transport.js';
import { IdleBudget } from '../../src/providers/idle.js';
import { makeProvider } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server | undefined;
const sockets = new Set<Socket>();

async function serve(handler: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void): Promise<{ base: string; seen: Seen[]; connections: () => number }> {
  const seen: Seen[] = [];
  let connections = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      handler(req, res, s);
    });
  });
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, connections: () => connections };
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

describe('send', () => {
  it('posts the body in chunks with the given headers and returns status, headers and the body', async () => {
    const { base, seen } = await serve((_req, res) => {
      res.writeHead(201, { 'content-type': 'text/event-stream', 'x-request-id': 'req_1', 'set-cookie': ['a=1', 'b=2'] });
      res.write('data: one\n\n');
      res.end('data: two\n\n');
    });
    const reply = await send({
      method: 'POST',
      url: new URL(`${base}/v1/responses`),
      headers: { 'Content-Type': 'application/json', 'Content-Length': '13', 'X-Custom': 'yes' },
      body: chunks('{"a":', '[1,2,3]}'),
      signal: new AbortController().signal,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('X-Request-Id')).toBe('req_1');
    expect(reply.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(reply.headers.get('missing')).toBeNull();
    expect(await readText(reply.body)).toBe('data: one\n\ndata: two\n\n');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/responses', body: '{"a":[1,2,3]}' });
    expect(seen[0]?.headers['x-custom']).toBe('yes');
    expect(seen[0]?.headers['content-length']).toBe('13');
  });

  it('decompresses a body the server compressed without being asked (gzip, deflate, br)', async () => {
    const body = Buffer.from('{"object":"list","data":[]}');
    const packed: Record<string, Buffer> = { gzip: gzipSync(body), deflate: deflateSync(body), br: brotliCompressSync(body) };
    const { base, seen } = await serve((req, res) => {
      const encoding = (req.url ?? '').slice(1);
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
      res.end(packed[encoding]);
    });
    for (const encoding of Object.keys(packed)) {
      const reply = await send({ method: 'GET', url: new URL(`${base}/${encoding}`), headers: {}, signal: new AbortController().signal });
      expect(await readText(reply.body), encoding).toBe(body.toString());
    }
    expect(seen[0]?.headers['accept-encoding']).toBeUndefined();
  });

  it('reuses the connection for the next request once a body was read to its end', async () => {
    const { base, connections } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    for (let i = 0; i < 3; i++) {
      const reply = await send({ method: 'GET', url: new URL(`${base}/x`), headers: {}, signal: new AbortController().signal });
      expect(await readText(reply.body)).toBe('ok');
      reply.body.cancel();
    }
    expect(connections()).toBe(1);
  });

  it('fails with HttpTimeoutError when no headers come within headersTimeoutMs', async () => {
    const { base } = await serve(() => undefined);
    const err = await send({ method: 'GET', url: new URL(`${base}/hang`), headers: {}, signal: new AbortController().signal, headersTimeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpTimeoutError);
  });

  it('an abort before the headers rejects with HttpAbortError; during the body, the pending read rejects', async () => {
    const { base } = await serve((req, res) => {
      if (req.url === '/hang') return;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    const before = new AbortController();
    const pending = send({ method: 'GET', url: new URL(`${base}/hang`), headers: {}, signal: before.signal });
    before.abort();
    await expect(pending).rejects.toBeInstanceOf(HttpAbortError);

    const during = new AbortController();
    const reply = await send({ method: 'GET', url: new URL(`${base}/stream`), headers: {}, signal: during.signal });
    const first = await reply.body.read();
    expect(first.done).toBe(false);
    const next = reply.body.read();
    during.abort();
    await expect(next).rejects.toThrow();
  });

  it('a connection refused is Node’s error with its code', async () => {
    const { base } = await serve(() => undefined);
    const port = Number(new URL(base).port);
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    const err = (await send({ method: 'GET', url: new URL(`http://127.0.0.1:${port}/`), headers: {}, signal: new AbortController().signal }).catch((e: unknown) => e)) as NodeJS.ErrnoException;
    expect(err.code).toBe('ECONNREFUSED');
  });
});

describe('bodyReader', () => {
  it('a read returns everything that arrived since the last one, then the end', async () => {
    const stream = new PassThrough();
    const reader = bodyReader(stream, () => undefined);
    for (const part of ['data: a\n\n', 'data: b\n\n', 'data: c\n\n']) stream.write(part);
    await new Promise((r) => setImmediate(r));
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(Buffer.from(first.value ?? []).toString()).toBe('data: a\n\ndata: b\n\ndata: c\n\n');
    const next = reader.read();
    stream.end('data: d\n\n');
    expect(Buffer.from((await next).value ?? []).toString()).toBe('data: d\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('a stream that breaks rejects the pending read; cancel before the end closes the connection', async () => {
    const stream = new PassThrough();
    let cancelled = 0;
    const reader = bodyReader(stream, () => void cancelled++);
    const pending = reader.read();
    stream.destroy(new Error('socket hang up'));
    await expect(pending).rejects.toThrow('socket hang up');
    const open = new PassThrough();
    bodyReader(open, () => void cancelled++).cancel();
    expect(cancelled).toBe(1);
  });
});

describe('Transport', () => {
  const failure = { provider: 'P', url: 'u', model: 'm', authHint: 'h', maxRetryAfterMs: 0, secrets: [] };

  it('builds the URL as the OpenAI SDK did: base URL + path, query params percent-encoded as RFC 3986 has it', () => {
    const p = makeProvider('http://h:1/v1/');
    expect(requestUrl(p, '/responses').href).toBe('http://h:1/v1/responses');
    expect(requestUrl({ ...p, query_params: { 'api-version': "2025-04-01 preview!'()*~", 'a&b': 'c/d' } }, '/responses').href).toBe(
      'http://h:1/v1/responses?api-version=2025-04-01%20preview%21%27%28%29%2A~&a%26b=c%2Fd',
    );
  });

  it('POST: our User-Agent unless the caller sets one, the caller may remove a header with null, Content-Type and Content-Length last', async () => {
    const { base, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end();
    });
    const t = new Transport({ ...makeProvider(`${base}/v1`), query_params: { k: 'v' } }, true, 1000);
    const reply = await t.post('/responses', { model: 'm' }, {
      headers: { 'user-agent': 'mine/1', Authorization: 'Bearer x', 'content-type': 'text/plain', 'X-Gone': null },
      signal: new AbortController().signal,
      failure,
      idle: new IdleBudget(5000),
    });
    reply.body.cancel();
    expect(seen[0]?.url).toBe('/v1/responses?k=v');
    expect(seen[0]?.headers['user-agent']).toBe('mine/1');
    expect(seen[0]?.headers.authorization).toBe('Bearer x');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(seen[0]?.headers['content-length']).toBe(String(Buffer.byteLength('{"model":"m"}')));
    expect(seen[0]?.body).toBe('{"model":"m"}');
    expect(Object.keys(seen[0]?.headers ?? {}).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
  });

  it('getJson follows redirects as fetch did (credentials kept only on the same origin); a POST does not', async () => {
    const other = await new Promise<Server>((r) => {
      const srv = createServer((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ auth: req.headers.authorization ?? null }));
      });
      srv.listen(0, '127.0.0.1', () => r(srv));
    });
    const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const { base, seen } = await serve((req, res) => {
        if (req.url === '/v1/models') res.writeHead(302, { location: '/v1/moved' }).end();
        else if (req.url === '/v1/moved') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ auth: req.headers.authorization ?? null }));
        else if (req.url === '/v1/away') res.writeHead(301, { location: `${otherBase}/v1/models` }).end();
        else res.writeHead(307, { location: '/v1/moved' }).end();
      });
      const t = new Transport(makeProvider(`${base}/v1`), true, 1000);
      const opts = { headers: { Authorization: 'Bearer secret' }, signal: new AbortController().signal, failure };
      expect(await t.getJson('/models', opts)).toEqual({ auth: 'Bearer secret' });
      expect(await t.getJson('/away', opts)).toEqual({ auth: null });
      const err = await t.post('/responses', { model: 'm' }, { ...opts, idle: new IdleBudget(5000) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 307 });
      expect(seen.map((q) => q.url)).toEqual(['/v1/models', '/v1/moved', '/v1/away', '/v1/responses']);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('a non-2xx reply is read whole and classified with its status, body and headers', async () => {
    const { base } = await serve((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1', 'x-request-id': 'req_9' });
      res.end(JSON.stringify({ error: { message: 'Slow down', type: 'rate_limit_exceeded' } }));
    });
    const t = new Transport(makeProvider(`${base}/v1`), true, 1000);
    const err = await t
      .post('/responses', { model: 'm' }, { headers: {}, signal: new AbortController().signal, failure: { ...failure, maxRetryAfterMs: 5000 }, idle: new IdleBudget(5000) })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate_limit', status: 429, requestId: 'req_9', retryAfterMs: 1000 });
    expect((err as Error).message).toContain('Slow down');
  });

  it('getJson: parses JSON, our Accept and User-Agent win, a timeout is a timeout', async () => {
    const { base, seen } = await serve((req, res) => {
      if (req.url === '/v1/slow') return;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end('{"data":[{"id":"m1"}]}');
    });
    const t = new Transport(makeProvider(`${base}/v1`), true, 100);
    expect(await t.getJson('/models', { headers: { 'User-Agent': 'theirs', Accept: 'text/html' }, signal: new AbortController().signal, failure })).toEqual({ data: [{ id: 'm1' }] });
    expect(seen[0]?.headers.accept).toBe('application/json');
    expect(seen[0]?.headers['user-agent']).toMatch(/^opencodex\//);
    const err = await t.getJson('/slow', { headers: {}, signal: new AbortController().signal, failure }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'connection', code: 'timeout' });
  });
});
