/**
 * The wording of local compaction: what the model is asked for when a thread is compacted, and the
 * opening of the message that hands its summary to the rest of the thread. Our own words; what they
 * must cover follows codex-compat.md §9.5.
 */

/** The request for a handoff summary (replaced by `compact_prompt` / `experimental_compact_prompt_file`). */
export const COMPACT_PROMPT = `Stop working on the task for a moment: this conversation is about to be shortened, and everything above this message will be replaced by a summary you write now. Another model, or you without this context, will pick the work up from that summary alone, so write a handoff note that lets it carry on without asking again. Cover:

- what the user asked for, with every requirement, constraint and preference they stated;
- what has been done so far: changes made, commands run and what they showed;
- the files read, created or changed, by path, and what matters about each;
- decisions taken and why, and approaches tried and dropped;
- what remains to be done, starting with the next concrete step.

Be concise and specific: keep exact paths, names, values and error messages, and leave out pleasantries. Reply with the summary only.`;

/** Opens the message that carries the summary (the summary follows on the next line). */
export const SUMMARY_PREFIX = `[Context summary] The earlier part of this conversation was condensed to save context. The user's most recent messages are kept above as they were written; earlier answers, tool calls and their outputs are not. The handoff summary below was written at that point: treat it as your record of the work so far and continue from it.`;
