/**
 * The terminal UI: the history, printed once through ink's <Static> (so it lives in the terminal's own
 * scrollback), then the redrawn part — the live turn, the prompt, the footer.
 */
import { Box, Static, Text, useStdin, useStdout } from 'ink';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { UiController } from '../controller.js';
import { readInput, type InputStream } from '../input/index.js';
import { KeyHandler } from '../keys.js';
import { altScreenParts, screenParts } from '../views.js';
import { HistoryItem } from './HistoryItem.js';

export interface AppProps {
  controller: UiController;
  /** Clock for the elapsed-time display (tests pass a fixed one). */
  now?: () => number;
  /** Sets the terminal's title (the session's state: working, waiting for an answer); none when left out. */
  setTitle?: (title: string) => void;
}

export function App({ controller, now = () => Date.now(), setTitle }: AppProps) {
  const snap = useSyncExternalStore(controller.subscribe, controller.getSnapshot);
  const keys = useMemo(() => new KeyHandler(controller), [controller]);
  const { stdout } = useStdout();
  const { stdin } = useStdin();

  useEffect(() => {
    const onResize = () => controller.resize(stdout.columns || 80, stdout.rows || 24);
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [controller, stdout]);

  useEffect(() => {
    if (!snap.running) return;
    const timer = setInterval(() => controller.tick(), 1000);
    return () => clearInterval(timer);
  }, [controller, snap.running]);

  useEffect(() => {
    if (!snap.exiting) setTitle?.(snap.title);
  }, [setTitle, snap.title, snap.exiting]);

  // The terminal's input is read and parsed here, at one place (input/); ink's useInput is not used.
  useEffect(() => {
    const stop = readInput(stdin as InputStream, (events) => keys.dispatch(events));
    return () => {
      stop();
      keys.close();
    };
  }, [stdin, keys]);

  if (controller.altScreen) return <AltScreen controller={controller} snap={snap} now={now()} />;
  const history = <Static items={snap.history as HistoryItemData[]}>{(entry) => <HistoryItem key={entry.id} text={entry.text} joined={entry.joined === true} columns={snap.columns} />}</Static>;
  if (snap.exiting) return history;
  const { live, bottom, footer } = screenParts(snap, controller.style, {
    hideReasoning: controller.config.hide_agent_reasoning === true,
    now: now(),
    cwd: controller.settings.cwd,
  });
  return (
    <>
      {history}
      <Box flexDirection="column">
        {live !== '' ? (
          <Box marginTop={1}>
            <Text>{live}</Text>
          </Box>
        ) : null}
        <Box marginTop={1}>
          <Text>{bottom}</Text>
        </Box>
        <Text>{footer}</Text>
      </Box>
    </>
  );
}

type HistoryItemData = { id: number; text: string; joined?: boolean };

/**
 * The alternate screen has no scrollback, so the history is drawn here, in the rows the live part leaves
 * (views.ts `altScreenParts`), and PgUp/PgDn scroll it.
 */
function AltScreen({ controller, snap, now }: { controller: UiController; snap: ReturnType<UiController['getSnapshot']>; now: number }) {
  const { history, live, bottom, footer } = altScreenParts(snap, controller.style, {
    hideReasoning: controller.config.hide_agent_reasoning === true,
    now,
    cwd: controller.settings.cwd,
  });
  return (
    <Box flexDirection="column">
      {history !== '' ? <Text>{history}</Text> : null}
      {live !== '' && !snap.exiting ? (
        <Box marginTop={1}>
          <Text>{live}</Text>
        </Box>
      ) : null}
      {snap.exiting ? null : (
        <>
          <Box marginTop={1}>
            <Text>{bottom}</Text>
          </Box>
          <Text>{footer}</Text>
        </>
      )}
    </Box>
  );
}
