/** The known-safe allowlist, the dangerous-command detector and the plain-command shell parser. */
import { describe, expect, it } from 'vitest';
import { commandMightBeDangerous, isKnownSafeCommand } from '../../src/sandbox/index.js';
import { parsePlainCommands } from '../../src/sandbox/shell-parse.js';

const lc = (script: string): string[] => ['bash', '-lc', script];

describe('parsePlainCommands', () => {
  it('splits plain commands joined by && || ; | and newlines, with quotes', () => {
    expect(parsePlainCommands(`ls -la && grep -n 'a b' "c d" | wc -l; pwd\necho x || true`)).toEqual([
      ['ls', '-la'],
      ['grep', '-n', 'a b', 'c d'],
      ['wc', '-l'],
      ['pwd'],
      ['echo', 'x'],
      ['true'],
    ]);
  });

  it('refuses anything beyond plain commands', () => {
    for (const script of [
      'ls > out',
      'cat < in',
      'echo $(rm x)',
      'echo `id`',
      'echo "$HOME"',
      'echo $HOME',
      '(ls)',
      'sleep 1 &',
      'FOO=1 ls',
      'ls &&',
      '&& ls',
      '; ls',
      "echo 'unterminated",
      'ls # comment',
      'echo a\\ b',
      '',
    ]) {
      expect(parsePlainCommands(script), script).toBeNull();
    }
  });
});

describe('isKnownSafeCommand', () => {
  it('accepts the allowlist', () => {
    for (const argv of [
      ['ls', '-la'],
      ['cat', 'README.md'],
      ['grep', '-rn', 'TODO', 'src'],
      ['/usr/bin/wc', '-l', 'x'],
      ['tac', 'x'],
      ['find', '.', '-name', '*.ts'],
      ['rg', '-n', 'foo'],
      ['git', 'status'],
      ['git', 'log', '--oneline', '-5'],
      ['git', 'diff', 'HEAD~1'],
      ['git', 'branch'],
      ['git', 'branch', '-a', '-v'],
      ['git', 'branch', '--list', 'feat/*'],
      ['sed', '-n', '10p', 'file'],
      ['sed', '-n', '1,20p', 'file'],
      lc('ls && pwd'),
      lc("grep -n foo src/a.ts | head -5; echo 'done'"),
      ['zsh', '-c', 'cat a | wc -l'],
    ]) {
      expect(isKnownSafeCommand(argv), argv.join(' ')).toBe(true);
    }
  });

  it('refuses writers, program runners and anything unparsed', () => {
    for (const argv of [
      ['rm', 'x'],
      ['python3', '-c', 'print(1)'],
      ['find', '.', '-delete'],
      ['find', '.', '-exec', 'rm', '{}', ';'],
      ['find', '.', '-fprint', 'out'],
      ['rg', '--pre', 'sh', 'x'],
      ['rg', '--pre=sh', 'x'],
      ['rg', '-z', 'x'],
      ['git', 'commit', '-m', 'x'],
      ['git', '-c', 'core.pager=sh', 'log'],
      ['git', '-C', '/elsewhere', 'status'],
      ['git', 'diff', '--output=/tmp/x'],
      ['git', 'log', '--ext-diff'],
      ['git', 'branch', 'new-branch'],
      ['git', 'branch', '-D', 'old'],
      ['sed', '-i', 's/a/b/', 'f'],
      ['sed', '-n', '1,2p;w out', 'f'],
      lc('ls && rm -rf x'),
      lc('cat a > b'),
      lc('echo $(whoami)'),
      ['bash', '-x', 'ls'],
      [],
    ]) {
      expect(isKnownSafeCommand(argv), argv.join(' ')).toBe(false);
    }
  });
});

describe('commandMightBeDangerous', () => {
  it('flags forced or recursive rm however it is spelled, and destructive git', () => {
    for (const argv of [
      ['rm', '-f', 'x'],
      ['rm', '-rf', 'x'],
      ['rm', '-fr', 'x'],
      ['rm', '-Rf', 'x'],
      ['rm', '-r', '-f', 'x'],
      ['rm', '--recursive', '--force', 'x'],
      ['/bin/rm', '-rf', '/'],
      ['sudo', 'rm', '-rf', '/'],
      ['sudo', '-n', 'rm', '-r', 'x'],
      ['env', 'A=1', 'rm', '-rf', 'x'],
      ['xargs', '-0', 'rm', '-f'],
      ['git', 'reset', '--hard'],
      ['git', '-C', 'repo', 'reset', 'HEAD~1'],
      ['git', 'rm', 'file'],
      ['git', 'clean', '-fdx'],
      ['git', 'push', '--force'],
      ['git', 'push', '-f', 'origin', 'main'],
      ['git', 'checkout', '--', '.'],
      ['dd', 'if=/dev/zero', 'of=/dev/sda'],
      ['mkfs.ext4', '/dev/sda1'],
      lc('cd build && rm -rf *'),
      lc('echo ok; git reset --hard'),
      lc('echo $(rm -rf ~)'),
      lc('x=1; rm -rf "$x"'),
    ]) {
      expect(commandMightBeDangerous(argv), argv.join(' ')).toBe(true);
    }
  });

  it('leaves ordinary commands alone', () => {
    for (const argv of [
      ['rm', 'file.txt'],
      ['ls', '-rf'],
      ['git', 'status'],
      ['git', 'push', 'origin', 'main'],
      ['git', 'checkout', 'main'],
      ['npm', 'test'],
      lc('npm run build && npm test'),
      lc('echo "rm -rf /"'),
      ['dd', 'if=/dev/zero', 'count=1'],
    ]) {
      expect(commandMightBeDangerous(argv), argv.join(' ')).toBe(false);
    }
  });
});
