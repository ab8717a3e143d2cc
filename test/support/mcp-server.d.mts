/** Types of mcp-server.mjs (a plain JavaScript module, so node can run it as a stdio server). */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';

export declare const PIXEL_PNG: string;
export declare function createToolServer(name?: string): Server;
