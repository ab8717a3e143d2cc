import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeHome, runCli } from '../support/cli.js';

const home = makeHome();

const scripts = new Map<string, string>();

/** The script `opencodex completion SHELL` prints, written to a file (generated once per shell). */
function script(shell: string): string {
  const known = scripts.get(shell);
  if (known) return known;
  const r = runCli(['completion', shell], { home });
  expect(r.status).toBe(0);
  const path = join(home, `completion.${shell}`);
  writeFileSync(path, r.stdout);
  scripts.set(shell, path);
  return path;
}

/** Asks bash's completion function what it offers for a command line (words so far; the last one is being typed). */
function bashComplete(words: string[]): string[] {
  const file = script('bash');
  const arr = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['--norc', '-c', `source ${file}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _opencodex; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

function zshComplete(words: string[]): string[] {
  const file = script('zsh');
  const arr = words.map((w) => `'${w}'`).join(' ');
  const r = spawnSync('zsh', ['-f', '-c', `source ${file}; COMP_WORDS=(${arr}); COMP_CWORD=${words.length - 1}; _opencodex; print -rl -- "\${COMPREPLY[@]}"`], { encoding: 'utf8', env: { ...process.env, HOME: home } });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

function fishComplete(line: string): string[] {
  const file = script('fish');
  const r = spawnSync('fish', ['--no-config', '-c', `source ${file}; complete -C '${line}'`], { encoding: 'utf8', env: { ...process.env, HOME: home } });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0] ?? '');
}

describe('opencodex completion', () => {
  it('bash: completes subcommands, their subcommands, option names and option values', () => {
    expect(bashComplete(['opencodex', 'ex'])).toEqual(['exec']);
    expect(bashComplete(['opencodex', ''])).toEqual(expect.arrayContaining(['exec', 'e', 'resume', 'login', 'logout', 'models', 'completion', 'config']));
    expect(bashComplete(['opencodex', '-m', 'gpt-5.4', 'mo'])).toEqual(['models']);
    expect(bashComplete(['opencodex', 'login', ''])).toEqual(['status']);
    expect(bashComplete(['opencodex', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    expect(bashComplete(['opencodex', '-s', ''])).toEqual(['read-only', 'workspace-write', 'danger-full-access']);
    expect(bashComplete(['opencodex', '--model', 'gpt-5.4'])).toEqual(['gpt-5.4', 'gpt-5.4-mini']);
    expect(bashComplete(['opencodex', 'models', '--'])).toEqual(expect.arrayContaining(['--all', '--json', '--model', '--help']));
    expect(bashComplete(['opencodex', '--ful'])).toEqual(['--full-auto']);
    // After a prompt, no subcommand is offered.
    expect(bashComplete(['opencodex', 'fix the bug', ''])).toEqual([]);
  });

  it('zsh: the same completions through bashcompinit', () => {
    expect(zshComplete(['opencodex', 'ex'])).toEqual(['exec']);
    expect(zshComplete(['opencodex', '--sandbox', 'w'])).toEqual(['workspace-write']);
    expect(zshComplete(['opencodex', 'completion', 'z'])).toEqual(['zsh']);
  });

  it('fish: complete lines for commands, options and values', () => {
    expect(fishComplete('opencodex ex')).toEqual(['exec']);
    expect(fishComplete('opencodex completion ')).toEqual(expect.arrayContaining(['bash', 'zsh', 'fish']));
    expect(fishComplete('opencodex -s ')).toEqual(['danger-full-access', 'read-only', 'workspace-write']);
    expect(fishComplete('opencodex models --')).toEqual(expect.arrayContaining(['--all', '--json']));
    expect(fishComplete('opencodex login ')).toEqual(['status']);
  });

  it('defaults to bash', () => {
    expect(runCli(['completion'], { home }).stdout).toBe(readFileSync(script('bash'), 'utf8'));
  });
});
