/** Local images attached to a prompt (`-i`), sent as data URLs. */
import { readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { InputImage } from '../providers/index.js';
import { UserError } from '../shared/index.js';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

export function imageMime(path: string): string | undefined {
  return MIME[extname(path).toLowerCase()];
}

/** Reads an image file into an `input_image` part; unreadable or unsupported files are user errors. */
export function loadImage(path: string, cwd: string): InputImage {
  const abs = resolve(cwd, path);
  const mime = imageMime(abs);
  if (!mime) throw new UserError(`cannot attach ${path}: not a PNG, JPEG, GIF or WebP image`, { hint: 'attach an image file' });
  let data: Buffer;
  try {
    data = readFileSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UserError(`cannot attach ${path} (${code})`, { hint: 'check the path given to -i/--image' });
  }
  return { type: 'input_image', image_url: `data:${mime};base64,${data.toString('base64')}` };
}
