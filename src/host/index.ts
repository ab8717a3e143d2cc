/**
 * The thread host: the session layer the editor front ends (`opencodex app-server`, `opencodex acp`) share.
 * It holds threads, each one agent session created exactly as `exec` and the interactive UI create theirs
 * (`createAgent`), runs their turns one at a time, and reads and edits what is recorded in `<home>/sessions`.
 *
 *   const host = new ThreadHost({ home, resolve, source: 'vscode', originator: () => 'my-editor' });
 *   const thread = await host.start({ cwd });                 // or host.resume(id), host.fork(id)
 *   const stop = thread.subscribe((e) => …);                   // turn.begin, agent events, turn.end
 *   const { turnId } = thread.startTurn({ text }, { asker });  // asker answers approval questions
 *   thread.steer({ text }, turnId);  await thread.interrupt(turnId);
 */
export { ThreadHost, UnknownThreadError, type ThreadHostOptions } from './host.js';
export { LiveThread, TurnRunningError, NO_CLIENT_TO_ASK } from './thread.js';
export { historyTurns, firstPrompt, type HistoryItem, type HistoryTurn } from './history.js';
export type { Asker, ResolveSettings, ThreadEvent, ThreadInfo, ThreadRequest } from './types.js';
