/** `view_image`: lets a model that accepts images look at a local image file. */
import { resolve } from 'node:path';
import type { FunctionTool } from '../../providers/index.js';
import { loadImage } from '../images.js';
import { parseArguments, type ToolCall, type ToolHandler, type ToolResult } from '../tool-types.js';

export class ViewImageTool implements ToolHandler {
  readonly name = 'view_image';
  readonly parallelSafe = true;
  readonly spec: FunctionTool = {
    type: 'function',
    name: 'view_image',
    description: 'Attach a local image file (PNG, JPEG, GIF or WebP) to the conversation so you can see it.',
    strict: false,
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Path of the image, relative to the working directory or absolute.' } },
      required: ['path'],
      additionalProperties: false,
    },
  };

  constructor(private readonly cwd: string) {}

  async run(call: ToolCall): Promise<ToolResult> {
    const args = parseArguments(call);
    if (!args.ok) return { output: args.message, success: false };
    const path = args.value.path;
    if (typeof path !== 'string' || path === '') return { output: 'view_image needs `path`', success: false };
    try {
      return { output: [loadImage(resolve(this.cwd, path), this.cwd)], success: true };
    } catch (err) {
      return { output: (err as Error).message, success: false };
    }
  }
}
