/** The figures the footer and `/status` show: tokens, context left, estimated cost. */
import type { Usage } from '../agent/index.js';
import { estimateCost, type ResolvedModel } from '../catalog/index.js';
import type { Style } from './style.js';

export interface StatusInfo {
  model: ResolvedModel;
  effort: string;
  provider: string;
  sandbox: string;
  approval: string;
  usage: Usage;
  /** Tokens the conversation takes now (the last response's input + output), for the context left. */
  contextTokens: number;
  /** `contextTokens` is an estimate from the history (no response has reported usage yet). */
  contextEstimated?: boolean;
  sessionId: string;
  /** The thread's name (`/rename`), if it has one. */
  threadName?: string | null;
}

/** Tokens used, as `exec` counts them: uncached input plus output. */
export function tokensUsed(u: Usage): number {
  return u.input_tokens - u.cached_input_tokens + u.output_tokens;
}

/** Estimated cost in USD when the catalog knows the model's prices, else null. */
export function estimatedCost(model: ResolvedModel, u: Usage): number | null {
  return estimateCost(model.entry, u);
}

export function contextLeftPercent(model: ResolvedModel, contextTokens: number): number {
  const window = model.facts.contextWindow;
  if (window <= 0) return 100;
  return Math.max(0, Math.min(100, Math.round(100 - (contextTokens / window) * 100)));
}

/** A rough token count of the conversation the model sees (4 characters a token; images count 1k). */
export function estimateContextTokens(history: readonly unknown[]): number {
  let chars = 0;
  let images = 0;
  const walk = (v: unknown): void => {
    if (typeof v === 'string') chars += v.length;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.type === 'input_image') {
        images++;
        return;
      }
      for (const x of Object.values(o)) walk(x);
    }
  };
  walk(history);
  return Math.round(chars / 4) + images * 1000;
}

const compact = (n: number): string => (n >= 1_000_000 ? `${(n / 1_000_000).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n.toLocaleString('en-US'));

export function formatCost(usd: number): string {
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** The one-line footer: model and effort, provider, sandbox, approvals, tokens, context left, cost. */
export function footerText(i: StatusInfo, s: Style): string {
  const parts = [
    ...(i.threadName ? [s.bold(i.threadName)] : []),
    `${s.bold(i.model.requested)}${i.effort !== 'none' ? ` ${i.effort}` : ''}`,
    i.provider,
    i.sandbox,
    `approvals: ${i.approval}`,
    `${compact(tokensUsed(i.usage))} tokens`,
    `${contextLeftPercent(i.model, i.contextTokens)}% context left`,
  ];
  const cost = estimatedCost(i.model, i.usage);
  if (cost !== null) parts.push(`~${formatCost(cost)}`);
  return s.dim(parts.join(' · '));
}

/** `/status`: everything about the session, one fact a line. */
export function statusText(
  i: StatusInfo & { cwd: string; sandboxDetail: string; agentsFiles: readonly string[]; /** Rows about the subagents, when there are any. */ agents?: ReadonlyArray<[string, string]> },
  s: Style,
): string {
  const cost = estimatedCost(i.model, i.usage);
  const rows: Array<[string, string]> = [
    ['model', i.model.requested],
    ['provider', i.provider],
    ['reasoning effort', i.effort],
    ['sandbox', i.sandboxDetail],
    ['approvals', i.approval],
    ['workdir', i.cwd],
    ['session id', i.sessionId],
    ['session name', i.threadName ? i.threadName : '(none; set one with /rename NAME)'],
    [
      'tokens',
      `${tokensUsed(i.usage).toLocaleString('en-US')} (input ${i.usage.input_tokens.toLocaleString('en-US')}, cached ${i.usage.cached_input_tokens.toLocaleString('en-US')}, output ${i.usage.output_tokens.toLocaleString('en-US')})`,
    ],
    ['context', `${contextLeftPercent(i.model, i.contextTokens)}% left of ${i.model.facts.contextWindow.toLocaleString('en-US')} tokens${i.contextEstimated ? ' (estimated)' : ''}`],
  ];
  if (cost !== null) rows.push(['estimated cost', formatCost(cost)]);
  rows.push(...(i.agents ?? []));
  rows.push(['AGENTS.md', i.agentsFiles.length === 0 ? '(none)' : i.agentsFiles.join(', ')]);
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  return [s.bold('/status'), ...rows.map(([k, v]) => `  ${s.dim(`${k}:`.padEnd(width))} ${v}`)].join('\n');
}

/**
 * The line printed on leaving, as Codex prints it: the session's tokens (and its estimated cost when the
 * catalog knows the prices); null when no tokens were used.
 */
export function exitUsageLine(i: Pick<StatusInfo, 'model' | 'usage'>): string | null {
  const u = i.usage;
  const total = tokensUsed(u);
  if (total === 0) return null;
  const n = (x: number): string => x.toLocaleString('en-US');
  const cached = u.cached_input_tokens > 0 ? ` (+ ${n(u.cached_input_tokens)} cached)` : '';
  const reasoning = u.reasoning_output_tokens > 0 ? ` (reasoning ${n(u.reasoning_output_tokens)})` : '';
  const cost = estimatedCost(i.model, u);
  const price = cost === null ? '' : ` · estimated cost ~${formatCost(cost)}`;
  return `Token usage: total=${n(total)} input=${n(u.input_tokens - u.cached_input_tokens)}${cached} output=${n(u.output_tokens)}${reasoning}${price}`;
}

