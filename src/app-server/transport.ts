/**
 * The app server's transports: stdio (one JSON message per line, the default) and WebSocket
 * (`--listen ws://IP:PORT`, one message per text frame, one connection per client; `/readyz` and
 * `/healthz` answer 200 over plain HTTP, as Codex's do). A WebSocket listener binds loopback unless it is
 * given a token: then every client must send `Authorization: Bearer <token>`.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { WebSocketServer, type WebSocket } from 'ws';
import { UsageError } from '../shared/index.js';
import type { AppServer } from './server.js';

/** Serves one connection over stdin/stdout until stdin ends; resolves then. */
export function serveStdio(server: AppServer, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<void> {
  const conn = server.connect((text) => {
    output.write(`${text}\n`);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() !== '') conn.rpc.receive(line);
  });
  return new Promise((resolve) => {
    lines.on('close', () => {
      conn.rpc.close();
      resolve();
    });
  });
}

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `ws://IP:PORT` (port 0: any free port). */
export function parseListen(url: string): ListenAddress | 'stdio' {
  if (url === 'stdio' || url === 'stdio://') return 'stdio';
  const m = /^ws:\/\/(\[[0-9a-fA-F:]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(url);
  if (!m) {
    const hint = url.startsWith('unix://') ? 'opencodex serves stdio and ws:// only' : 'e.g. --listen ws://127.0.0.1:4500';
    throw new UsageError(`--listen ${url}: expected stdio:// or ws://IP:PORT`, hint);
  }
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`--listen ${url}: port ${port} is out of range`, 'use a port from 0 to 65535');
  return { host: (m[1] as string).replace(/^\[|\]$/g, ''), port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function authorized(req: IncomingMessage, token: string | null): boolean {
  if (token === null) return true;
  const header = req.headers.authorization ?? '';
  const given = /^Bearer (.+)$/i.exec(header)?.[1] ?? '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface WsListener {
  /** The address bound (the port chosen when 0 was asked for). */
  address: ListenAddress;
  close(): Promise<void>;
}

/**
 * Listens for WebSocket clients. Refuses a non-loopback address without a token (anyone who can reach it
 * could run commands as this user).
 */
export async function listenWs(server: AppServer, at: ListenAddress, o: { token: string | null }): Promise<WsListener> {
  if (!isLoopback(at.host) && o.token === null) {
    throw new UsageError(
      `--listen ws://${at.host}:${at.port}: not a loopback address, and no token is set`,
      'anyone reaching it could run commands as you: set a token in OPENCODEX_APP_SERVER_TOKEN (or --token-env VAR), or listen on 127.0.0.1',
    );
  }
  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/readyz' || path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    res.writeHead(426, { 'content-type': 'text/plain' }).end('this is an opencodex app server: connect with a WebSocket\n');
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  http.on('upgrade', (req, socket, head) => {
    if (!authorized(req, o.token)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      const conn = server.connect((text) => {
        if (ws.readyState === ws.OPEN) ws.send(text);
      });
      ws.on('message', (data, isBinary) => {
        const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
        if (isBinary && text.trim() === '') return;
        conn.rpc.receive(text);
      });
      ws.on('close', () => {
        sockets.delete(ws);
        conn.rpc.close();
      });
      ws.on('error', () => ws.terminate());
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new UsageError(`--listen ws://${at.host}:${at.port}: the port is in use`, 'choose another port (0 picks a free one)') : err);
    });
    http.listen(at.port, at.host, () => resolve());
  });
  const bound = http.address() as AddressInfo;
  return {
    address: { host: at.host, port: bound.port },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
