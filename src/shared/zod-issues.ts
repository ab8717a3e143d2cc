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
  if (value instanceof Date) return `the date ${value.toISOString()}`;
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' && Number.isInteger(value)) return `the integer ${value}`;
  return `${typeof value === 'number' ? 'the number' : `the ${typeof value}`} ${String(value)}`;
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

/** What a type is called in a config file (`a table`, `an integer`, `true or false`). */
function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
    case 'map':
      return 'a table';
    case 'array':
    case 'tuple':
      return 'an array';
    case 'int':
    case 'bigint':
      return 'an integer';
    case 'boolean':
      return 'a boolean (true or false)';
    case 'string':
      return 'a string (in quotes)';
    case 'number':
      return 'a number';
    default:
      return `a ${expected}`;
  }
}

const quoteValues = (values: readonly unknown[]): string[] => values.map((v) => JSON.stringify(v));

/** Zod's own wording ("Too small: expected number to be >0"), as opposed to a message of ours. */
const DEFAULT_MESSAGE = /^(Too (small|big)|Invalid|Unrecognized)/;

function sizeText(issue: Extract<ZodIssue, { code: 'too_small' | 'too_big' }>): string {
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && limit === 1) return 'must not be empty';
      return `must have ${small ? 'at least' : 'at most'} ${limit} characters`;
    case 'array':
    case 'set':
      return `must have ${small ? 'at least' : 'at most'} ${limit} item${limit === 1 ? '' : 's'}`;
    default:
      if (small) return inclusive ? `must be at least ${limit}` : `must be greater than ${limit}`;
      return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
  }
}

/** What a union takes, when every branch failed at the value itself: listed values and types. */
function unionAlternatives(issue: Extract<ZodIssue, { code: 'invalid_union' }>): string | undefined {
  const values: string[] = [];
  const types: string[] = [];
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first || first.path.length > 0) return undefined;
    if (first.code === 'invalid_value') values.push(...quoteValues(first.values));
    else if (first.code === 'invalid_type') types.push(typeName(first.expected));
    else return undefined;
  }
  const parts = [...(values.length > 0 ? [`one of ${[...new Set(values)].join(', ')}`] : []), ...new Set(types)];
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}`;
}

export function describeIssue(issue: ZodIssue, input: unknown): string {
  const got = describe(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_value':
      return `must be ${issue.values.length === 1 ? '' : 'one of '}${quoteValues(issue.values).join(', ')} (got ${got})`;
    case 'invalid_type':
      return `must be ${typeName(issue.expected)} (got ${got})`;
    case 'invalid_union': {
      const alternatives = unionAlternatives(issue);
      if (alternatives) return `must be ${alternatives} (got ${got})`;
      return `${DEFAULT_MESSAGE.test(issue.message) ? 'has an unsupported form' : issue.message} (got ${got})`;
    }
    case 'too_small':
    case 'too_big':
      return `${sizeText(issue)} (got ${got})`;
    case 'unrecognized_keys':
      return `has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message} (got ${got})`;
  }
}

/**
 * The issue to report, with its full path: a union whose value matched one branch's type (a table for
 * `approval_policy`) reports what is wrong inside that branch instead of listing the alternatives.
 */
export function innermostIssue(issue: ZodIssue): ZodIssue {
  if (issue.code !== 'invalid_union' || unionAlternatives(issue)) return issue;
  const deeper = issue.errors.map((b) => b[0]).find((i): i is ZodIssue => i !== undefined && i.path.length > 0);
  if (!deeper) return issue;
  return innermostIssue({ ...deeper, path: [...issue.path, ...deeper.path] } as ZodIssue);
}
