// A real MCP server for the tests, built on the SDK's server classes. Run it with node for a stdio
// server (`node mcp-server.mjs [--fail-start] [--name N] [--start-delay MS] [--pid-file PATH]`; the pid file gets one line per start), or import createToolServer() and serve it
// over streamable HTTP (see mcp-http.ts).
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { appendFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// A 1x1 PNG.
export const PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const TOOLS = [
  {
    name: 'echo',
    description: 'Echoes the text back.',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
    annotations: { readOnlyHint: true },
  },
  { name: 'fail', description: 'Always reports an error.', inputSchema: { type: 'object' } },
  { name: 'add', description: 'Adds two numbers (structured result).', inputSchema: { properties: { a: { type: 'number' }, b: { type: 'number' } } } },
  { name: 'env', description: 'Lists the environment variable names the server sees.', inputSchema: { type: 'object', properties: {} } },
  { name: 'image', description: 'Returns a tiny image.', inputSchema: { type: 'object', properties: {} } },
  { name: 'slow', description: 'Answers after `ms` milliseconds.', inputSchema: { type: 'object', properties: { ms: { type: 'number' } } } },
  { name: 'delete_all', description: 'Pretends to delete everything.', inputSchema: { type: 'object', properties: {} }, annotations: { destructiveHint: true } },
];

export function createToolServer(name = 'test-server', seen = { headers: [] }) {
  const server = new Server({ name, version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const args = req.params.arguments ?? {};
    switch (req.params.name) {
      case 'echo':
        return { content: [{ type: 'text', text: `echo: ${String(args.text)}` }] };
      case 'fail':
        return { content: [{ type: 'text', text: 'it broke' }], isError: true };
      case 'add':
        return { content: [], structuredContent: { sum: Number(args.a) + Number(args.b) } };
      case 'env':
        return { content: [{ type: 'text', text: Object.keys(process.env).sort().join(',') }] };
      case 'image':
        return { content: [{ type: 'text', text: 'a pixel:' }, { type: 'image', data: PIXEL_PNG, mimeType: 'image/png' }] };
      case 'slow':
        await new Promise((r) => setTimeout(r, Number(args.ms ?? 1000)));
        return { content: [{ type: 'text', text: 'finally' }] };
      case 'delete_all':
        return { content: [{ type: 'text', text: 'deleted everything' }] };
      default:
        return { content: [{ type: 'text', text: `no tool ${req.params.name}` }], isError: true };
    }
  });
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const p = argv.indexOf('--pid-file');
  if (p >= 0) appendFileSync(argv[p + 1], `${process.pid}\n`);
  if (argv.includes('--fail-start')) {
    process.stderr.write('cannot open the database\n');
    process.exit(3);
  }
  const d = argv.indexOf('--start-delay');
  if (d >= 0) await new Promise((r) => setTimeout(r, Number(argv[d + 1])));
  const i = argv.indexOf('--name');
  await createToolServer(i >= 0 ? argv[i + 1] : 'test-server').connect(new StdioServerTransport());
}
