/**
 * The review's answer: read leniently from what the model wrote (the JSON alone, fenced, or inside prose;
 * fields of a slightly different shape), and printed for people, findings grouped by priority with
 * `path:line`. An answer with no review JSON in it stays prose (`parseReviewOutput` returns null).
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { ReviewFinding, ReviewOutput, ReviewPriority } from './types.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** A number, also from a numeric string. */
function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** 0–1; a percentage (1 < x ≤ 100) is scaled down. */
function confidence(v: unknown): number | null {
  const n = num(v);
  if (n === null || n < 0) return null;
  if (n <= 1) return n;
  return n <= 100 ? n / 100 : null;
}

const WORDS: Record<string, ReviewPriority> = { critical: 0, blocker: 0, high: 1, urgent: 1, medium: 2, normal: 2, low: 3, minor: 3, nit: 3 };

function priority(v: unknown): ReviewPriority | null {
  const n = num(v);
  if (n !== null) return Number.isInteger(n) && n >= 0 && n <= 3 ? (n as ReviewPriority) : null;
  if (typeof v !== 'string') return null;
  const tag = /^\s*p([0-3])\s*$/i.exec(v);
  if (tag) return Number(tag[1]) as ReviewPriority;
  return WORDS[v.trim().toLowerCase()] ?? null;
}

const TITLE_TAG = /^\s*\[\s*p([0-3])\s*\]\s*[-:\u2013\u2014]?\s*/i;

function lineRange(loc: Obj): { start: number; end: number } | null {
  const range = isObj(loc.line_range) ? loc.line_range : isObj(loc.lines) ? loc.lines : loc;
  const start = num(range.start ?? range.start_line ?? loc.line ?? loc.start_line);
  if (start === null || start < 1) return null;
  const end = num(range.end ?? range.end_line ?? loc.end_line);
  return { start: Math.trunc(start), end: end !== null && end >= start ? Math.trunc(end) : Math.trunc(start) };
}

function location(raw: Obj, cwd: string): ReviewFinding['code_location'] {
  const loc = isObj(raw.code_location) ? raw.code_location : isObj(raw.location) ? raw.location : raw;
  const path = str(loc.absolute_file_path ?? loc.file_path ?? loc.path ?? loc.file);
  if (path === null) return null;
  return { absolute_file_path: isAbsolute(path) ? path : resolve(cwd, path), line_range: lineRange(loc) };
}

function finding(raw: unknown, cwd: string): ReviewFinding | null {
  if (!isObj(raw)) return null;
  let title = str(raw.title ?? raw.summary ?? raw.name) ?? '';
  const body = str(raw.body ?? raw.description ?? raw.explanation ?? raw.details) ?? '';
  if (title === '' && body === '') return null;
  let p = priority(raw.priority ?? raw.severity);
  const tag = TITLE_TAG.exec(title);
  if (tag) {
    title = title.slice(tag[0].length);
    p ??= Number(tag[1]) as ReviewPriority;
  }
  return { title: title || body.split('\n')[0] || '', body, priority: p, confidence_score: confidence(raw.confidence_score ?? raw.confidence), code_location: location(raw, cwd) };
}

function asReview(value: unknown, cwd: string): ReviewOutput | null {
  if (!isObj(value)) return null;
  const hasVerdict = ['overall_correctness', 'overall_explanation', 'overall_confidence_score'].some((k) => k in value);
  if (!Array.isArray(value.findings) && !hasVerdict) return null;
  const correctness = value.overall_correctness;
  return {
    findings: (Array.isArray(value.findings) ? value.findings : []).map((f) => finding(f, cwd)).filter((f): f is ReviewFinding => f !== null),
    overall_correctness: typeof correctness === 'boolean' ? (correctness ? 'patch is correct' : 'patch is incorrect') : str(correctness),
    overall_explanation: str(value.overall_explanation),
    overall_confidence_score: confidence(value.overall_confidence_score),
  };
}

/** Where each top-level `{…}` of `text` ends (strings and escapes respected), in order. */
function objects(text: string): string[] {
  const out: string[] = [];
  for (let i = text.indexOf('{'); i !== -1; ) {
    let depth = 0;
    let inString = false;
    let end = -1;
    for (let j = i; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        end = j;
        break;
      }
    }
    if (end === -1) break;
    out.push(text.slice(i, end + 1));
    i = text.indexOf('{', end + 1);
  }
  return out;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The review in the model's answer: the whole answer as JSON, else the JSON of a fenced block, else the
 * first JSON object in the text that is a review. Relative paths are taken from `cwd`. Null: prose.
 */
export function parseReviewOutput(text: string, cwd: string): ReviewOutput | null {
  const candidates = [text.trim()];
  for (const m of text.matchAll(/```[a-zA-Z]*\s*\n([\s\S]*?)```/g)) candidates.push((m[1] as string).trim());
  candidates.push(...objects(text));
  for (const c of candidates) {
    const review = asReview(parse(c), cwd);
    if (review) return review;
  }
  return null;
}

const LABELS = ['P0 · blocking', 'P1 · urgent', 'P2 · normal', 'P3 · low'] as const;

/** `path:line` (or `path:start-end`), the path relative to `cwd` when it is inside it. */
export function findingPlace(f: ReviewFinding, cwd: string): string | null {
  const loc = f.code_location;
  if (!loc) return null;
  const rel = relative(cwd, loc.absolute_file_path);
  const path = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : loc.absolute_file_path;
  const r = loc.line_range;
  if (!r) return path;
  return r.end > r.start ? `${path}:${r.start}-${r.end}` : `${path}:${r.start}`;
}

const score = (n: number): string => (Math.round(n * 100) / 100).toString();

/**
 * The review for people: the verdict and its explanation, then the findings grouped by priority (P0 first,
 * those without one last), each with its place and body.
 */
export function formatReview(review: ReviewOutput, cwd: string): string {
  const lines: string[] = [];
  const verdict = review.overall_correctness ?? 'no verdict';
  const sure = review.overall_confidence_score === null ? '' : ` (confidence ${score(review.overall_confidence_score)})`;
  lines.push(`Verdict: ${verdict}${sure}`);
  if (review.overall_explanation) lines.push(review.overall_explanation);
  const n = review.findings.length;
  lines.push('', n === 0 ? 'No findings.' : `${n} finding${n === 1 ? '' : 's'}:`);
  const groups: Array<[string, ReviewFinding[]]> = [...LABELS.map((label, p) => [label, review.findings.filter((f) => f.priority === p)] as [string, ReviewFinding[]]), ['unprioritized', review.findings.filter((f) => f.priority === null)]];
  for (const [label, findings] of groups) {
    if (findings.length === 0) continue;
    lines.push('', label);
    for (const f of findings) {
      const place = findingPlace(f, cwd);
      const sureOf = f.confidence_score === null ? '' : ` (confidence ${score(f.confidence_score)})`;
      lines.push(`- ${place ? `${place} — ` : ''}${f.title}${sureOf}`);
      for (const l of f.body.split('\n')) lines.push(l === '' ? '' : `  ${l}`);
    }
  }
  return lines.join('\n');
}
