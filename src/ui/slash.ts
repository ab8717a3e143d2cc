/**
 * The slash commands as data, and how typed text maps to them: the popup's matches, Tab's completion and
 * whether a submitted line is a command at all. A prompt may start with `/` (an absolute path is common):
 * only a known command name makes it a command.
 */
export interface SlashCommand {
  name: string;
  description: string;
}

export const SLASH_COMMANDS: readonly SlashCommand[] = [
  { name: 'model', description: 'choose the model and reasoning effort (saved to config)' },
  { name: 'approvals', description: 'choose when to ask before running commands' },
  { name: 'review', description: 'review the changes and find issues (uncommitted, against a branch, a commit, or instructions)' },
  { name: 'status', description: 'model, provider, sandbox, approvals, session id, tokens' },
  { name: 'diff', description: 'show the git diff of the workspace (untracked files included)' },
  { name: 'compact', description: 'summarize the conversation so far to free up context' },
  { name: 'new', description: 'start a new conversation' },
  { name: 'resume', description: 'resume an earlier session' },
  { name: 'agents', description: "list the session's subagents and open one's transcript" },
  { name: 'rename', description: 'name this session (resume it later with `opencodex resume NAME`)' },
  { name: 'quit', description: 'exit opencodex' },
];

/** Names that run a command without being listed in the popup. */
const ALIASES: Readonly<Record<string, string>> = { exit: 'quit' };

/** The word after the slash (`/model foo` → `model`), lower-cased. */
export function commandWord(text: string): string {
  return (text.slice(1).split(/\s/)[0] ?? '').toLowerCase();
}

/** The commands whose name starts with the typed word. */
export function matchingCommands(text: string): SlashCommand[] {
  const word = commandWord(text);
  return SLASH_COMMANDS.filter((c) => c.name.startsWith(word));
}

/**
 * The popup's commands, when the prompt shows one: a single line that starts with `/`, a word being typed
 * (no space yet) and at least one command that starts with it. `/etc/hosts is broken` shows none.
 */
export function slashPopup(text: string): SlashCommand[] {
  if (!text.startsWith('/') || /\s/.test(text)) return [];
  const word = commandWord(text);
  // A complete name comes first: it is what Enter runs unless the user moves the highlight.
  return matchingCommands(text).sort((a, b) => Number(b.name === word) - Number(a.name === word));
}

/** The command Enter runs from the popup: the highlighted one (null when no popup is shown). */
export function popupChoice(text: string, selected: number): SlashCommand | null {
  const popup = slashPopup(text);
  return popup[selected] ?? popup[0] ?? null;
}

/** The command a submitted line names, or null when it is a prompt (its first word is no command name). */
export function knownCommand(line: string): string | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/') || trimmed.includes('\n')) return null;
  const word = commandWord(trimmed);
  if (SLASH_COMMANDS.some((c) => c.name === word)) return word;
  return ALIASES[word] !== undefined ? word : null;
}

/**
 * What Tab makes of the typed word: the longest prefix every match shares (so it never picks one of
 * several for the user), with a space after a name that is complete and unambiguous. Null: nothing to add.
 */
export function completeCommand(text: string): string | null {
  const matches = slashPopup(text);
  if (matches.length === 0) return null;
  if (matches.length === 1) return `/${(matches[0] as SlashCommand).name} `;
  let prefix = (matches[0] as SlashCommand).name;
  for (const m of matches) while (!m.name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  const next = `/${prefix}`;
  return next.length > text.length ? next : null;
}
