import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dirOutsideGit } from '../support/e2e.js';
import {
  agentsMdText,
  BASE_INSTRUCTIONS,
  discoverAgentsMd,
  environmentContext,
  environmentContextText,
  permissionsText,
  type AgentsMdOptions,
} from '../../src/agent/index.js';

function tree(files: Record<string, string>, root = mkdtempSync(join(tmpdir(), 'ocx-agents-'))): string {
  for (const [rel, text] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return root;
}

function discover(root: string, cwd: string, over: Partial<AgentsMdOptions> = {}) {
  return discoverAgentsMd({
    home: join(root, 'home'),
    cwd: join(root, cwd),
    projectRootMarkers: ['.git'],
    fallbackFilenames: [],
    maxBytes: 32768,
    ...over,
  });
}

describe('AGENTS.md discovery', () => {
  it('takes one file per directory from the project root down to the cwd, joined with blank lines', () => {
    const root = tree({
      'repo/.git/HEAD': 'ref',
      'repo/AGENTS.md': 'root rules',
      'repo/pkg/AGENTS.md': 'pkg rules',
      'repo/pkg/src/notes.txt': '',
      'AGENTS.md': 'outside the project: ignored',
    });
    const r = discover(root, 'repo/pkg/src');
    expect(r.text).toBe('root rules\n\npkg rules');
    expect(r.files).toEqual([join(root, 'repo/AGENTS.md'), join(root, 'repo/pkg/AGENTS.md')]);
  });

  it('prefers AGENTS.override.md, then AGENTS.md, then the fallback names, one per directory', () => {
    const root = tree({
      'repo/.git': '',
      'repo/AGENTS.override.md': 'override',
      'repo/AGENTS.md': 'shadowed',
      'repo/a/CLAUDE.md': 'fallback',
      'repo/a/b/AGENTS.md': '   ',
      'repo/a/b/CLAUDE.md': 'b fallback',
    });
    expect(discover(root, 'repo/a/b', { fallbackFilenames: ['CLAUDE.md'] }).text).toBe('override\n\nfallback\n\nb fallback');
    expect(discover(root, 'repo/a/b').text).toBe('override');
  });

  it('puts the global file from the home first, separated from project docs', () => {
    const root = tree({ 'home/AGENTS.md': 'global', 'repo/.git': '', 'repo/AGENTS.md': 'project' });
    expect(discover(root, 'repo').text).toBe('global\n\n--- project-doc ---\n\nproject');
    const over = tree({ 'home/AGENTS.override.md': 'global override', 'home/AGENTS.md': 'global' });
    expect(discover(over, '.').text).toBe('global override');
  });

  it('without a project root, reads only the cwd; markers = [] disables walking up', () => {
    const root = tree({ 'AGENTS.md': 'parent', 'sub/AGENTS.md': 'sub' }, dirOutsideGit('ocx-agents-'));
    expect(discover(root, 'sub').text).toBe('sub');
    const repo = tree({ '.git': '', 'AGENTS.md': 'root', 'sub/AGENTS.md': 'sub' });
    expect(discover(repo, 'sub', { projectRootMarkers: [] }).text).toBe('sub');
    expect(discover(repo, 'sub', { projectRootMarkers: ['.git'] }).text).toBe('root\n\nsub');
  });

  it('caps project docs at project_doc_max_bytes (UTF-8 safe); 0 disables them but keeps the global file', () => {
    const root = tree({ 'home/AGENTS.md': 'g', 'repo/.git': '', 'repo/AGENTS.md': 'ééééé', 'repo/x/AGENTS.md': 'second' });
    expect(discover(root, 'repo/x', { maxBytes: 5 }).text).toBe('g\n\n--- project-doc ---\n\néé');
    expect(discover(root, 'repo/x', { maxBytes: 0 }).text).toBe('g');
    expect(discover(root, 'repo/x', { maxBytes: 0 }).files).toEqual([join(root, 'home/AGENTS.md')]);
  });

  it('returns null when there is nothing', () => {
    expect(discover(tree({ 'x.txt': '' }), '.').text).toBeNull();
  });
});

describe('prompt pieces', () => {
  it('base instructions are our own and compact', () => {
    expect(BASE_INSTRUCTIONS).toMatch(/^You are opencodex/);
    expect(Buffer.byteLength(BASE_INSTRUCTIONS)).toBeLessThan(6000);
    expect(BASE_INSTRUCTIONS).toMatch(/apply_patch/);
    expect(BASE_INSTRUCTIONS).toMatch(/update_plan/);
  });

  it('permissions text follows the sandbox mode and approval policy', () => {
    const ww = permissionsText({ sandboxMode: 'workspace-write', approvalPolicy: 'on-request', writableRoots: ['/w', '/tmp'], networkAccess: false });
    expect(ww).toMatch(/^<permissions instructions>\n/);
    expect(ww).toMatch(/`\/w`, `\/tmp`/);
    expect(ww).toMatch(/Network access is disabled/);
    expect(ww).toMatch(/require_escalated/);
    const ro = permissionsText({ sandboxMode: 'read-only', approvalPolicy: 'never', writableRoots: [], networkAccess: false });
    expect(ro).toMatch(/cannot write anywhere/);
    expect(ro).toMatch(/Never set `sandbox_permissions`/);
    expect(permissionsText({ sandboxMode: 'danger-full-access', approvalPolicy: 'untrusted', writableRoots: [], networkAccess: true })).toMatch(/Known-safe/);
  });

  it('environment context names cwd, shell, local date and timezone', () => {
    const ctx = environmentContext('/w/<x>', { SHELL: '/usr/bin/zsh' }, new Date(2026, 10, 24, 23, 30));
    expect(ctx).toMatchObject({ cwd: '/w/<x>', shell: 'zsh', currentDate: '2026-11-24' });
    expect(environmentContextText(ctx)).toBe(
      `<environment_context>\n  <cwd>/w/&lt;x&gt;</cwd>\n  <shell>zsh</shell>\n  <current_date>2026-11-24</current_date>\n  <timezone>${ctx.timezone}</timezone>\n</environment_context>`,
    );
    expect(environmentContext('/w', {}).shell).toBe('bash');
    expect(agentsMdText('/w', 'rules')).toBe('# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>\nrules\n</INSTRUCTIONS>');
  });
});
