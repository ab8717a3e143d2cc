/**
 * `opencodex acp`: the Agent Client Protocol (Zed, JetBrains, Neovim and Emacs clients) on the shared
 * thread host (src/host), with the official SDK's agent side.
 *
 *   await acpAgent(host).serveStdio();
 */
export { acpAgent, promptInput, historyUpdates } from './agent.js';
export { SessionStream } from './updates.js';
