import { Box, Text } from 'ink';
import { hangingWrap } from '../style.js';

/**
 * One finished part of the conversation, after a blank line (none when it continues the one before),
 * wrapped to the terminal's width with hanging indents.
 */
export function HistoryItem({ text, joined = false, columns }: { text: string; joined?: boolean; columns: number }) {
  return (
    <Box paddingTop={joined ? 0 : 1}>
      <Text>{hangingWrap(text, columns)}</Text>
    </Box>
  );
}
