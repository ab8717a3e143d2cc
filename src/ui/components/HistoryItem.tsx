import { Box, Text } from 'ink';

/** One finished part of the conversation, after a blank line (none when it continues the one before). */
export function HistoryItem({ text, joined = false }: { text: string; joined?: boolean }) {
  return (
    <Box paddingTop={joined ? 0 : 1}>
      <Text>{text}</Text>
    </Box>
  );
}
