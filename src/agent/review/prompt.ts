/**
 * What the reviewing model is told: how to review (a developer message at the start of the thread), the JSON
 * its answer takes (also sent as a structured-output format where the provider takes one), and the request
 * naming what to review (target.ts builds it).
 */
import type { JsonObject } from '../../providers/index.js';

/** The review's answer as a JSON Schema (strict: every field required, nothing else allowed). */
export const REVIEW_OUTPUT_SCHEMA: JsonObject = {
  type: 'object',
  additionalProperties: false,
  required: ['findings', 'overall_correctness', 'overall_explanation', 'overall_confidence_score'],
  properties: {
    findings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'body', 'confidence_score', 'priority', 'code_location'],
        properties: {
          title: { type: 'string', description: 'At most 80 characters, starting with the priority tag, e.g. "[P1] Off-by-one in the page count".' },
          body: { type: 'string', description: 'One paragraph of Markdown: why this is a bug, and when it shows.' },
          confidence_score: { type: 'number', description: 'How sure you are, from 0 to 1.' },
          priority: { type: ['integer', 'null'], description: '0 for P0, 1 for P1, 2 for P2, 3 for P3; null when you cannot tell.' },
          code_location: {
            type: 'object',
            additionalProperties: false,
            required: ['absolute_file_path', 'line_range'],
            properties: {
              absolute_file_path: { type: 'string' },
              line_range: {
                type: 'object',
                additionalProperties: false,
                required: ['start', 'end'],
                properties: { start: { type: 'integer' }, end: { type: 'integer' } },
              },
            },
          },
        },
      },
    },
    overall_correctness: { type: 'string', enum: ['patch is correct', 'patch is incorrect'] },
    overall_explanation: { type: 'string', description: 'One to three sentences that justify the verdict.' },
    overall_confidence_score: { type: 'number', description: 'How sure you are of the verdict, from 0 to 1.' },
  },
};

/** How to review and how to answer: the first developer message of a review thread. */
export const REVIEW_GUIDELINES = `# Code review

You are reviewing a change another engineer made. Your job is to find the problems they would want to know about before it ships, and to report them precisely. You do not change anything: inspect the repository with read-only commands (git diff, git show, git log, cat, sed -n, rg, ls) and read whatever you need beyond the diff to be sure of a finding.

What counts as a finding:
- It affects correctness, security, performance or maintainability in a way that matters, and the change introduced it (leave problems that were there before alone).
- It is one discrete issue with a clear fix, not a remark about the codebase in general.
- You can point at the code that breaks; a guess that something elsewhere might break is not enough. Check callers and tests before claiming it.
- It is not obviously what the author meant to do, and it does not ask for more rigour than the rest of the code has.
- The author would fix it if told. Skip style and formatting unless they hide a real problem.

Report every finding that meets this bar, not only the first; when nothing does, report none. Follow project rules in AGENTS.md files and other instructions you were given; instructions about the scope or the style of this review take precedence over these guidelines.

For each finding:
- title: at most 80 characters, starting with its priority tag: [P0] blocks a release and does not depend on unusual inputs; [P1] is urgent; [P2] should be fixed in due course; [P3] is nice to have. Also give the number (0–3) as priority.
- body: one matter-of-fact paragraph saying why it is a bug and under which inputs or conditions it shows; code excerpts of at most three lines, in backticks.
- code_location: the absolute path of the file and the shortest line range that shows the problem (a few lines, inside the changed code where possible).
- confidence_score: from 0 to 1.

Then give a verdict: "patch is correct" when existing code and tests keep working and nothing blocking is wrong (nits do not count), else "patch is incorrect", with a one to three sentence explanation and your confidence in it.

Your final answer is this JSON object and nothing else (no Markdown fence, no text around it):
{"findings": [{"title": "[P1] …", "body": "…", "confidence_score": 0.8, "priority": 1, "code_location": {"absolute_file_path": "/abs/path/file.ts", "line_range": {"start": 10, "end": 12}}}], "overall_correctness": "patch is incorrect", "overall_explanation": "…", "overall_confidence_score": 0.7}`;
