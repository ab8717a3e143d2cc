/**
 * Sessions: append-only rollout files per thread, reading them back for resume, finding and listing
 * them, the prompt history, and the notify hook. Both front ends (exec and the interactive UI) use this
 * API; the agent core writes through a `RolloutRecorder`.
 *
 *   const rec = openRollout(home, meta, { secrets });          // a new thread (file made on first record)
 *   const path = findSession(home, { id, last, cwd, all });   // the thread to resume (id, prefix, path or name)
 *   const loaded = loadRollout(path);                          // history, last turn_context, usage, warnings
 *   const { history, notes } = carryHistory(loaded.history, loaded.origins, { provider, model });
 *   // or all of it at once, choosing the model and provider: prepareResume({ path, loaded, catalog, model, provider })
 *   const rec2 = openRollout(home, loaded.meta, { existing: path, secrets });   // keep appending
 *   const fork = forkSession(home, path, { secrets, cwd });    // a new thread with the same history (forked_from_id)
 *   renameSession(home, path, name);  // or rec.event(nameEvent(id, name)) + appendNameIndex(home, id, name)
 *   listSessions(home, { cwd, all, limit });  appendHistory(home, config, entry, { secrets });  readHistory(home);
 *   runNotify(config.notify, payload);
 *   archiveSession(home, id);  unarchiveSession(home, id);  deleteSession(home, id);  sessionWriter(home, id);
 */
export type {
  RolloutLine,
  RolloutKind,
  RolloutRecorder,
  SessionMeta,
  SessionSource,
  SessionEvent,
  TurnContext,
  TokenUsage,
  LoadedRollout,
  ItemOrigin,
  CollabRecord,
  LastTurn,
  SubagentSource,
} from './types.js';
export { openRollout, TORN_LINE_MARKER, type OpenRolloutOptions } from './recorder.js';
export { secretRedactor, REDACTED, type Redactor } from './redact.js';
export { loadRollout, isUserPrompt } from './reader.js';
export { listSessions, summarize, rolloutFiles, spawnOf, type SessionSummary, type ListOptions } from './list.js';
export { findSession, type FindOptions } from './find.js';
export { renameSession, appendNameIndex, readNameIndex, removeFromNameIndex, checkName, nameEvent, nameIndexPath, NAME_INDEX_FILE, type ThreadName } from './names.js';
export { rolloutPath, sessionsDir, archivedSessionsDir, parseRolloutName, type SessionStore } from './paths.js';
export { archiveSession, unarchiveSession, deleteSession, refuseRunning, threadFiles, type Housekept } from './archive.js';
export { sessionWriter, holdSessionLock, sessionLockPath, LOCK_DIR, type SessionWriter } from './lock.js';
export { carryHistory, type HistoryTarget, type CarriedHistory } from './convert.js';
export { appendHistory, readHistory, historyPath, HISTORY_FILE, type HistoryEntry, type AppendHistoryOptions } from './history.js';
export { runNotify, type TurnCompletePayload } from './notify.js';
export { secretValues } from './secrets.js';
export { prepareResume, type ResumeInput, type PreparedResume } from './resume.js';
export { forkSession, resumeFork, type ForkOptions, type ForkedSession } from './fork.js';
