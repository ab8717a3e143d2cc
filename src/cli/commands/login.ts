/**
 * `opencodex login --with-api-key` (key on stdin), `opencodex login status`, `opencodex logout`: the API
 * key of the built-in openai provider, kept in auth.json (mode 0600) in the opencodex home. The key is
 * never printed; status shows a masked form.
 */
import type { Command } from 'commander';
import { resolveHome } from '../../config/index.js';
import { UsageError } from '../../shared/index.js';

const PIPE_HINT = 'pipe the key in, e.g. `printenv OPENAI_API_KEY | opencodex login --with-api-key`';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function loginWithApiKey(): Promise<void> {
  if (process.stdin.isTTY) throw new UsageError('--with-api-key reads the API key from stdin, which is a terminal', PIPE_HINT);
  const key = (await readStdin()).trim();
  if (key === '') throw new UsageError('no API key on stdin', PIPE_HINT);
  if (/\s/.test(key)) throw new UsageError('the text on stdin is not an API key (it contains whitespace)', PIPE_HINT);
  const { storeApiKey, maskKey } = await import('../../providers/index.js');
  const path = storeApiKey(resolveHome(), key);
  process.stdout.write(`Logged in using an API key (${maskKey(key)}), stored in ${path}\n`);
}

async function loginStatus(): Promise<void> {
  const { readStoredApiKey, maskKey, authFilePath } = await import('../../providers/index.js');
  const home = resolveHome();
  const stored = readStoredApiKey(home);
  const env = process.env.OPENAI_API_KEY;
  const envSet = env !== undefined && env.trim() !== '';
  if (stored) {
    process.stdout.write(`Logged in using an API key (${maskKey(stored)}), stored in ${authFilePath(home)}\n`);
    if (envSet) process.stderr.write('note: OPENAI_API_KEY is set in the environment and is used instead of the stored key\n');
    return;
  }
  process.stdout.write('Not logged in\n');
  if (envSet) process.stderr.write('note: OPENAI_API_KEY is set in the environment and is used for the openai provider\n');
  process.exitCode = 1;
}

async function logout(): Promise<void> {
  const { removeStoredAuth, authFilePath } = await import('../../providers/index.js');
  const home = resolveHome();
  if (removeStoredAuth(home)) process.stdout.write(`Logged out (removed ${authFilePath(home)})\n`);
  else process.stdout.write('Not logged in\n');
}

export function registerLoginCommands(program: Command): void {
  const login = program
    .command('login')
    .description('store an API key for the built-in openai provider (read from stdin)')
    .option('--with-api-key', 'read the API key from stdin')
    .action(async (opts: { withApiKey?: boolean }) => {
      if (!opts.withApiKey) throw new UsageError('only API-key login is supported', PIPE_HINT);
      await loginWithApiKey();
    });
  login
    .command('status')
    .description('show whether an API key is stored (exit 1 when not logged in)')
    .action(loginStatus);
  program
    .command('logout')
    .description('remove the stored API key')
    .action(logout);
}
