/**
 * `/rename NAME`: names the thread, so `opencodex resume NAME` finds it later. The name is recorded in the
 * rollout (a `thread_name_updated` event, through the session's recorder) and in the name index; the
 * footer and /status show it. `/rename` alone shows the current name and how to set one.
 */
import { appendNameIndex, checkName, nameEvent } from '../sessions/index.js';
import { shellWord } from '../shared/index.js';
import type { UiController } from './controller.js';

export function renameThread(c: UiController, arg: string): void {
  if (arg.trim() === '') {
    c.notice(
      c.threadName === null
        ? 'this session has no name; set one with /rename NAME (then resume it with `opencodex resume NAME`)'
        : `this session is named ${c.threadName}; change it with /rename NAME`,
    );
    return;
  }
  const name = checkName(arg);
  const id = c.session.threadId;
  const recorder = c.session.recorder;
  if (!recorder) {
    c.setThreadName(name);
    c.notice(`Session named ${name} (this session is not recorded, so the name is kept only until you leave)`);
    return;
  }
  recorder.event(nameEvent(id, name));
  recorder.sync();
  appendNameIndex(c.settings.loaded.home, id, name);
  c.setThreadName(name);
  // The rollout exists now (a name given before the first prompt starts it): there is something to resume.
  c.markUsed();
  c.notice(`Session renamed to ${name}; resume it later with \`opencodex resume ${shellWord(name)}\``);
}
