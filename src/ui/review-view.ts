/**
 * How a review looks in the transcript: a heading with the verdict and its explanation, then the findings
 * grouped by priority (P0 first), each as `path:line` and its title, with its body under it. The model's
 * text (titles, bodies, paths) is made inert as the rest of the transcript's is.
 */
import { findingPlace, type ReviewFinding, type ReviewOutput } from '../agent/index.js';
import { escapeControls, escapeLine } from '../shared/index.js';
import { renderMarkdown } from './markdown.js';
import type { Paint, Style } from './style.js';

const GROUPS: ReadonlyArray<{ priority: ReviewFinding['priority']; label: string }> = [
  { priority: 0, label: 'P0 · blocking' },
  { priority: 1, label: 'P1 · urgent' },
  { priority: 2, label: 'P2 · normal' },
  { priority: 3, label: 'P3 · low' },
  { priority: null, label: 'unprioritized' },
];

const score = (n: number): string => `${Math.round(n * 100)}%`;

function paintFor(priority: ReviewFinding['priority'], s: Style): Paint {
  return priority === 0 || priority === 1 ? s.red : priority === 2 ? s.yellow : s.dim;
}

/** The review as transcript text (`hint`: what was reviewed, e.g. "current changes"). */
export function formatReviewView(review: ReviewOutput, hint: string, cwd: string, s: Style): string {
  const lines: string[] = [];
  const n = review.findings.length;
  const count = n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}`;
  lines.push(`${s.magenta('▌')} ${s.bold('Code review')} ${s.dim(`of the ${escapeLine(hint)} · ${count}`)}`);
  const verdict = review.overall_correctness ?? 'no verdict';
  const bad = /incorrect/i.test(verdict);
  const sure = review.overall_confidence_score === null ? '' : s.dim(` (confidence ${score(review.overall_confidence_score)})`);
  lines.push(`  Verdict: ${(bad ? s.red : s.green)(escapeLine(verdict))}${sure}`);
  if (review.overall_explanation) lines.push(...renderMarkdown(escapeControls(review.overall_explanation), s).split('\n').map((l) => `  ${l}`));
  for (const group of GROUPS) {
    const findings = review.findings.filter((f) => f.priority === group.priority);
    if (findings.length === 0) continue;
    const paint = paintFor(group.priority, s);
    lines.push('', `  ${paint(s.bold(group.label))}`);
    for (const f of findings) {
      const place = findingPlace(f, cwd);
      const sureOf = f.confidence_score === null ? '' : s.dim(` (${score(f.confidence_score)})`);
      lines.push(`  ${paint('•')} ${place ? `${s.cyan(escapeLine(place))} ${s.dim('—')} ` : ''}${s.bold(escapeLine(f.title))}${sureOf}`);
      if (f.body.trim() !== '') lines.push(...renderMarkdown(escapeControls(f.body.trim()), s).split('\n').map((l) => (l === '' ? '' : `    ${l}`)));
    }
  }
  return lines.join('\n');
}
