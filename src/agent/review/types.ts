/**
 * What a review is of, and what it found: the shapes shared by the review core, its front ends (exec, the
 * interactive UI, the app server) and the `review` item of the event stream. Field names follow Codex's
 * review JSON (codex-today.md §5); targets follow the app server's `ReviewTarget`.
 */

/** What to review (the app server's `ReviewTarget`). */
export type ReviewTarget =
  /** The working tree: staged, unstaged and untracked files. */
  | { type: 'uncommittedChanges' }
  /** The changes since the merge base of HEAD and `branch`. */
  | { type: 'baseBranch'; branch: string }
  /** What commit `sha` changed; `title` is shown with it (default: the commit's subject). */
  | { type: 'commit'; sha: string; title?: string }
  /** Free instructions: the model decides what to look at. */
  | { type: 'custom'; instructions: string };

/** P0 (drop everything) to P3 (nice to have). */
export type ReviewPriority = 0 | 1 | 2 | 3;

export interface ReviewFinding {
  /** One line, without the `[P1]` tag Codex's titles carry (the priority is its own field). */
  title: string;
  /** Why it is a problem (Markdown). */
  body: string;
  priority: ReviewPriority | null;
  /** 0–1. */
  confidence_score: number | null;
  /** Where: an absolute path and the lines (null when the model gave none). */
  code_location: { absolute_file_path: string; line_range: { start: number; end: number } | null } | null;
}

export interface ReviewOutput {
  findings: ReviewFinding[];
  /** Codex's verdict: "patch is correct" or "patch is incorrect" (as the model wrote it). */
  overall_correctness: string | null;
  overall_explanation: string | null;
  overall_confidence_score: number | null;
}
