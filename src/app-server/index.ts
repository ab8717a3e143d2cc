/**
 * `opencodex app-server`: Codex's app-server protocol (JSON-RPC without `"jsonrpc"`, v2 methods) over stdio
 * or WebSocket, on the shared thread host (src/host), so editors made for Codex drive opencodex's agent.
 *
 *   const server = new AppServer({ host, settings });
 *   await serveStdio(server);                               // or: await listenWs(server, parseListen(url), { token })
 */
export { AppServer, ServerConnection, type AppServerOptions, type ServerSettings } from './server.js';
export { serveStdio, listenWs, parseListen, isLoopback, type ListenAddress, type WsListener } from './transport.js';
