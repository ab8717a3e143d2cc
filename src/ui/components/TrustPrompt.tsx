/**
 * The first-run question in a directory with no trust decision (Codex's trust screen): trust it, or not
 * (commands and edits then need approval), or leave without deciding.
 */
import { Box, Text, useStdin } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { readInput, type InputEvent, type InputStream } from '../input/index.js';
import type { Style } from '../style.js';

export type TrustAnswer = 'trusted' | 'untrusted' | 'quit';

export interface TrustPromptProps {
  cwd: string;
  /** The directory the answer is recorded for (the git checkout's root, else the cwd). */
  target: string;
  style: Style;
  onAnswer: (answer: TrustAnswer) => void;
}

const OPTIONS: ReadonlyArray<{ label: string; answer: Exclude<TrustAnswer, 'quit'> }> = [
  { label: 'Yes, trust this directory', answer: 'trusted' },
  { label: 'No, ask me to approve edits and commands', answer: 'untrusted' },
];

export function TrustPrompt({ cwd, target, style: s, onAnswer }: TrustPromptProps) {
  const [highlighted, setHighlighted] = useState(0);
  // Keys can arrive faster than renders: the handler reads and writes refs, the render reads the state.
  const current = useRef(0);
  const done = useRef(false);
  const move = (i: number) => {
    current.current = i;
    setHighlighted(i);
  };
  const answer = (a: TrustAnswer) => {
    if (done.current) return;
    done.current = true;
    onAnswer(a);
  };
  // Input parsed as the session's is (input/): keys that arrive together are each handled; a paste is not an answer.
  const onKey = (ev: InputEvent, ch: string): void => {
    const named = ev.type === 'key' ? ev.name : '';
    if (named === 'up' || ch === 'k') move(0);
    else if (named === 'down' || ch === 'j') move(1);
    else if (ch === '1' || ch === 'y') answer('trusted');
    else if (ch === '2' || ch === 'n') answer('untrusted');
    else if (named === 'return') answer(OPTIONS[current.current]?.answer ?? 'trusted');
    else if (named === 'escape' || ch === 'q' || (ev.type === 'key' && ev.ctrl && named === 'c')) answer('quit');
  };
  const handler = useRef(onKey);
  handler.current = onKey;
  const { stdin } = useStdin();
  useEffect(
    () =>
      readInput(stdin as InputStream, (events) => {
        for (const ev of events) {
          if (ev.type === 'text') for (const ch of ev.text) handler.current(ev, ch);
          else if (ev.type === 'key') handler.current(ev, '');
        }
      }),
    [stdin],
  );
  const scope = target === cwd ? '' : ` (the answer is recorded for ${target})`;
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        {'> '}
        {s.bold('You are in ')}
        {cwd}
      </Text>
      <Box marginTop={1} marginLeft={2}>
        <Text>
          Do you trust the contents of this directory? Working with untrusted contents comes with higher risk of prompt injection. Trusting it lets
          opencodex edit files and run commands in the workspace-write sandbox, and loads the project's .codex/config.toml{scope}.
        </Text>
      </Box>
      <Box flexDirection="column" marginTop={1}>
        {OPTIONS.map((o, i) => (
          <Text key={o.answer}>{i === highlighted ? s.cyan(`› ${i + 1}. ${o.label}`) : `  ${i + 1}. ${o.label}`}</Text>
        ))}
      </Box>
      <Box marginTop={1} marginLeft={2}>
        <Text>{s.dim('Press Enter to continue, Esc to quit')}</Text>
      </Box>
    </Box>
  );
}
