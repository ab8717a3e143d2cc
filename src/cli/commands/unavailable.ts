import { UserError } from '../../shared/index.js';

/** Commands whose implementation has not landed yet say so plainly and exit 1. They never pretend to work. */
export function notAvailable(what: string): never {
  throw new UserError(`${what} is not available in this build of opencodex yet`, { hint: 'see `opencodex --help` for the commands that work today' });
}
