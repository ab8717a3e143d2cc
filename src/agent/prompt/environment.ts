/** The environment context the model gets at the start of a thread: where it is and when. */
import { basename } from 'node:path';
import { resolvedTimezone } from './timezone.js';

export interface EnvironmentContext {
  cwd: string;
  shell: string;
  currentDate: string;
  timezone: string;
}

function localDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `timezone`: the machine's (by default as `Intl` resolves it; see timezone.ts for the remembered one). */
export function environmentContext(cwd: string, env: NodeJS.ProcessEnv = process.env, now: Date = new Date(), timezone: string = resolvedTimezone()): EnvironmentContext {
  return {
    cwd,
    shell: env.SHELL ? basename(env.SHELL) : 'bash',
    currentDate: localDate(now),
    timezone,
  };
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function environmentContextText(ctx: EnvironmentContext): string {
  return [
    '<environment_context>',
    `  <cwd>${escapeXml(ctx.cwd)}</cwd>`,
    `  <shell>${escapeXml(ctx.shell)}</shell>`,
    `  <current_date>${ctx.currentDate}</current_date>`,
    `  <timezone>${escapeXml(ctx.timezone)}</timezone>`,
    '</environment_context>',
  ].join('\n');
}

export function agentsMdText(cwd: string, instructions: string): string {
  return `# AGENTS.md instructions for ${cwd}\n\n<INSTRUCTIONS>\n${instructions}\n</INSTRUCTIONS>`;
}
