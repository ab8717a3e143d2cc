import { Box, Text } from 'ink';

/** One finished part of the conversation, after a blank line. */
export function HistoryItem({ text }: { text: string }) {
  return (
    <Box paddingTop={1}>
      <Text>{text}</Text>
    </Box>
  );
}
