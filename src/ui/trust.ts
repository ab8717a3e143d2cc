/**
 * The trust question, asked before the session starts in a project with no trust decision, as Codex does
 * on first run. Not asked when the user chose the sandbox or the approval policy (a flag, -c, a profile or
 * config.toml): the question is about those defaults (older Codex releases skip it the same way).
 */
import { createElement } from 'react';
import type { LoadedConfig } from '../config/index.js';
import { TrustPrompt, type TrustAnswer } from './components/TrustPrompt.js';
import { terminalStyle } from './style.js';

export type { TrustAnswer };

export function needsTrustQuestion(loaded: LoadedConfig): boolean {
  const p = loaded.project;
  if (!p || p.trust !== null) return false;
  const chosen = (key: string) => loaded.sources.nearest([key])?.kind !== 'default';
  return !chosen('sandbox_mode') && !chosen('approval_policy');
}

/** Asks in the terminal; resolves once answered, with the screen left as a one-line record of the answer. */
export async function askTrust(o: { cwd: string; target: string; env?: NodeJS.ProcessEnv }): Promise<TrustAnswer> {
  const { render } = await import('ink');
  const style = terminalStyle(o.env ?? process.env);
  let answered: (a: TrustAnswer) => void = () => {};
  const answer = new Promise<TrustAnswer>((resolve) => (answered = resolve));
  const instance = render(createElement(TrustPrompt, { cwd: o.cwd, target: o.target, style, onAnswer: (a) => answered(a) }), { exitOnCtrlC: false });
  const result = await answer;
  instance.clear();
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  return result;
}
