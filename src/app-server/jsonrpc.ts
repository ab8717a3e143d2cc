/**
 * One client connection's JSON-RPC, as Codex's app server speaks it: JSON-RPC 2.0 messages without the
 * `"jsonrpc"` member (accepted when a client sends it), one per line on stdio or one per WebSocket text
 * frame. Requests are answered in any order; server→client requests (approvals) wait for their response.
 * A frame that is not JSON, or not a request, response or notification, is answered with an error (id
 * null when none can be read) and the connection goes on.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type RequestId = string | number;

/** JSON-RPC error codes used. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** An error a method handler throws to answer with this code and message. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/**
 * A handler's answer with work to do right after the response is written (a notification that must
 * follow it, as `thread/started` follows the `thread/start` response).
 */
export class Reply {
  constructor(
    readonly result: unknown,
    readonly after: () => void,
  ) {}
}

export interface IncomingRequest {
  id: RequestId;
  method: string;
  params: unknown;
}

export interface RpcHandlers {
  request(req: IncomingRequest): Promise<unknown>;
  notification(method: string, params: unknown): void;
}

const isId = (v: unknown): v is RequestId => typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));

export class RpcConnection {
  private nextId = 0;
  private readonly pending = new Map<RequestId, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly write: (text: string) => void,
    private readonly handlers: RpcHandlers,
  ) {}

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Called when the transport closes: pending server requests fail, listeners run once. */
  close(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const p of this.pending.values()) p.reject(new Error('the client disconnected'));
    this.pending.clear();
    for (const l of this.closeListeners.splice(0)) l();
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  private send(message: Record<string, unknown>): void {
    if (this.closedFlag) return;
    try {
      this.write(JSON.stringify(message));
    } catch {
      // The transport is gone; its close event follows.
    }
  }

  notify(method: string, params: unknown): void {
    this.send(params === undefined ? { method } : { method, params });
  }

  /** Sends a server→client request; resolves with the result, rejects with the client's error or on close. */
  request(method: string, params: unknown): { id: RequestId; result: Promise<unknown> } {
    const id = this.nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      if (this.closedFlag) return reject(new Error('the client disconnected'));
      this.pending.set(id, { resolve, reject });
    });
    this.send({ id, method, params });
    return { id, result };
  }

  /** Drops a server request nobody waits for any more (the turn ended); a late answer is ignored. */
  forget(id: RequestId): void {
    this.pending.get(id)?.reject(new Error('no longer needed'));
    this.pending.delete(id);
  }

  private respondError(id: RequestId | null, code: number, message: string, data?: unknown): void {
    this.send({ id, error: data === undefined ? { code, message } : { code, message, data } });
  }

  /** One frame from the client. */
  receive(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      this.respondError(null, PARSE_ERROR, `parse error: ${(err as Error).message}`);
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.respondError(null, INVALID_REQUEST, 'invalid request: expected a JSON object (batches are not supported)');
      return;
    }
    const m = msg as Record<string, unknown>;
    const id = m.id;
    if (typeof m.method === 'string') {
      if (id === undefined) {
        try {
          this.handlers.notification(m.method, m.params);
        } catch {
          // A notification has no answer, whatever happens.
        }
        return;
      }
      if (!isId(id)) {
        this.respondError(null, INVALID_REQUEST, 'invalid request: `id` must be a string or an integer');
        return;
      }
      void this.dispatch({ id, method: m.method, params: m.params });
      return;
    }
    if (isId(id) && ('result' in m || 'error' in m)) {
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if ('error' in m) {
        const e = m.error as { message?: unknown } | null;
        p.reject(new Error(typeof e?.message === 'string' ? e.message : 'the client answered with an error'));
      } else p.resolve(m.result);
      return;
    }
    this.respondError(isId(id) ? id : null, INVALID_REQUEST, 'invalid request: a message needs `method` (a request or notification) or `result`/`error` (a response)');
  }

  private async dispatch(req: IncomingRequest): Promise<void> {
    try {
      const result = await this.handlers.request(req);
      if (result instanceof Reply) {
        this.send({ id: req.id, result: result.result ?? {} });
        result.after();
      } else this.send({ id: req.id, result: result ?? {} });
    } catch (err) {
      if (err instanceof RpcError) this.respondError(req.id, err.code, err.message, err.data);
      else this.respondError(req.id, INTERNAL_ERROR, `${req.method} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
