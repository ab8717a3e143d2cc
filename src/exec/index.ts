export { resolvePrompt, decodeStdin, readAll, type PromptSources } from './input.js';
export { JsonlRenderer } from './jsonl.js';
export { HumanRenderer, tokensUsed, type Banner, type HumanOptions } from './human.js';
export { runExec, insideGitRepo, type ExecContext, type ExecOptions } from './run.js';
