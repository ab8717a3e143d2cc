/** Turning a zod issue into one readable phrase: which key, what was wrong, what is allowed. */
import type { z } from 'zod';

export type ZodIssue = z.core.$ZodIssue;

export function issuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const key = String(part);
      const bare = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
      out += out === '' ? bare : `.${bare}`;
    }
  }
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** Reads the offending value out of the input, for messages like `got "foo"`. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

export function describeIssue(issue: ZodIssue, input: unknown): string {
  const got = describe(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${got})`;
    case 'invalid_type':
      return `must be ${issue.expected === 'object' ? 'a table' : issue.expected === 'array' ? 'an array' : `a ${issue.expected}`} (got ${got})`;
    case 'invalid_union': {
      return `${issue.message || 'has an unsupported form'} (got ${got})`;
    }
    case 'too_small':
    case 'too_big':
      return `${issue.message} (got ${got})`;
    case 'unrecognized_keys':
      return `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
    default:
      return `${issue.message} (got ${got})`;
  }
}
