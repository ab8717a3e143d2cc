/**
 * The subagent tools the model calls, with Codex's names, parameters and outputs (multi-agent v1):
 * `spawn_agent`, `send_input`, `wait_agent`, `close_agent`, `resume_agent`. On Responses providers that
 * take namespaces they go out inside one `multi_agent_v1` namespace tool; elsewhere as plain functions.
 * Each call is shown as a `collab_tool_call` item and recorded in the caller's rollout.
 */
import type { FunctionTool, JsonObject, ToolNamespace } from '../../providers/index.js';
import type { CollabRecord } from '../../sessions/index.js';
import type { AgentStatus, CollabTool, CollabToolCallItem } from '../events.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../tool-types.js';
import { CollabError, DEFAULT_WAIT_MS, MAX_WAIT_MS, type CollabOwner, type SubagentManager } from './manager.js';
import { modelChoices } from './model-choice.js';
import { rolesText } from './roles.js';
import { itemState, statusJson } from './status.js';

export const COLLAB_NAMESPACE: ToolNamespace = {
  name: 'multi_agent_v1',
  description: 'Start helper agents that work in parallel with you, give them more work, wait for their answers and close them.',
};

/** The caller of the tools, and where its calls are recorded (its rollout; none for an ephemeral session). */
export interface CollabCaller extends CollabOwner {
  record(record: CollabRecord, turn: { turnId: string; startedAtMs: number }): void;
}

interface Outcome {
  output: JsonObject;
  receivers: string[];
  states: Record<string, AgentStatus>;
}

const schema = (properties: JsonObject, required: string[]): JsonObject => ({ type: 'object', properties, required, additionalProperties: false });

function tool(name: string, description: string, parameters: JsonObject): FunctionTool {
  return { type: 'function', name, description, strict: false, parameters, namespace: COLLAB_NAMESPACE };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The text of a message: `message`, else Codex's `items` form (`[{type:"text", text}]`, text parts joined;
 * other kinds of parts are not supported and said so). Undefined when neither is given.
 */
function messageOf(args: Record<string, unknown>, tool: string): string | undefined {
  if (typeof args.message === 'string') return args.message;
  if (!Array.isArray(args.items)) return undefined;
  const texts: string[] = [];
  for (const item of args.items as unknown[]) {
    const o = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
    if (o.type === 'text' && typeof o.text === 'string') texts.push(o.text);
    else throw new CollabError(`${tool}: only text items are supported (got ${typeof o.type === 'string' ? o.type : 'an item without a type'}); send the task as \`message\``);
  }
  return texts.join('\n');
}

/** The message for the started item (null when it is missing or malformed: the call then fails with why). */
function safeMessage(args: Record<string, unknown>): string | null {
  try {
    return messageOf(args, '') ?? null;
  } catch {
    return null;
  }
}

abstract class CollabToolBase implements ToolHandler {
  abstract readonly name: string;
  abstract readonly spec: FunctionTool;
  /** The item's `tool` (Codex calls wait_agent's items `wait`). */
  abstract readonly itemTool: CollabTool;
  readonly parallelSafe = true;

  constructor(
    protected readonly manager: SubagentManager,
    protected readonly caller: CollabCaller,
  ) {}

  /** What the call concerns before it runs (for the started item): receivers and the prompt. */
  protected before(_args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    return { receivers: [], prompt: null };
  }

  protected abstract act(args: Record<string, unknown>, ctx: ToolContext): Promise<Outcome>;

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const parsed = parseArguments(call);
    if (!parsed.ok) return { output: parsed.message, success: false };
    const args = parsed.value;
    const startedAtMs = Date.now();
    const { receivers, prompt } = this.before(args);
    const item: CollabToolCallItem = {
      id: ctx.nextItemId(),
      type: 'collab_tool_call',
      tool: this.itemTool,
      sender_thread_id: this.caller.threadId,
      receiver_thread_ids: receivers,
      prompt,
      agents_states: {},
      status: 'in_progress',
    };
    ctx.emit({ type: 'item.started', item: { ...item } });
    let result: ToolResult;
    let states: Record<string, AgentStatus> = {};
    try {
      const outcome = await this.act(args, ctx);
      item.receiver_thread_ids = outcome.receivers;
      states = outcome.states;
      item.agents_states = Object.fromEntries(Object.entries(states).map(([id, s]) => [id, itemState(s)]));
      item.status = 'completed';
      result = { output: JSON.stringify(outcome.output), success: true };
    } catch (err) {
      const message = err instanceof CollabError ? err.message : `${this.name} failed: ${err instanceof Error ? err.message : String(err)}`;
      item.status = 'failed';
      item.error = message;
      result = { output: message, success: false };
    }
    ctx.emit({ type: 'item.completed', item });
    this.record(call.callId, item, states, { turnId: ctx.turnId ?? '', startedAtMs });
    return result;
  }

  private record(callId: string, item: CollabToolCallItem, states: Record<string, AgentStatus>, turn: { turnId: string; startedAtMs: number }): void {
    const record: CollabRecord = {
      type: 'CollabAgentToolCall',
      id: callId,
      tool: item.tool,
      status: item.status === 'failed' ? 'failed' : 'completed',
      sender_thread_id: item.sender_thread_id,
      receiver_thread_ids: item.receiver_thread_ids,
      receiver_agents: item.receiver_thread_ids.map((id) => ({ thread_id: id, agent_nickname: this.manager.get(id)?.nickname ?? null })),
      prompt: item.prompt,
      agents_states: Object.fromEntries(Object.entries(states).map(([id, s]) => [id, statusJson(s)])),
    };
    if (item.tool === 'spawn_agent' && item.status === 'completed') {
      const child = this.manager.get(item.receiver_thread_ids[0] ?? '');
      if (child) {
        record.model = child.model;
        if (child.effort) record.reasoning_effort = child.effort;
        record.agent_role = child.role;
        record.model_provider = child.provider;
      }
    }
    this.caller.record(record, turn);
  }
}

class SpawnAgent extends CollabToolBase {
  readonly name = 'spawn_agent';
  readonly itemTool = 'spawn_agent' as const;

  /** Built when asked: the models listed follow the caller's current model. */
  get spec(): FunctionTool {
    const models = modelChoices(this.manager.choiceContext, this.caller.parent()).listed;
    return tool(
      'spawn_agent',
      'Start a helper agent that works on a task in parallel with you, in the same workspace, sandbox and approval settings, ' +
        'and returns at once with its id. Only use this when the user asks for subagents, helpers, delegation or parallel ' +
        'agents. Give it a complete, self-contained task: it does not see this conversation unless you set fork_context. Then keep working, and use ' +
        'wait_agent to collect its answer. Close agents you no longer need with close_agent.',
      schema(
        {
          message: { type: 'string', description: 'The task: what to do, where, and what to report back.' },
          agent_type: { type: 'string', description: rolesText(this.manager.roles) },
          model: {
            type: 'string',
            description: `The model the agent runs on (default: its agent type's, else a small fast model where one is advised, else yours). Available: ${models.join(', ')}`,
          },
          reasoning_effort: { type: 'string', description: 'Its reasoning effort (minimal, low, medium, high, xhigh…); default: the model’s.' },
          fork_context: {
            type: 'boolean',
            description: 'Start the agent with a copy of this conversation so far, so `message` can be short (default false: it sees only `message`).',
          },
        },
        ['message'],
      ),
    );
  }

  protected override before(args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    return { receivers: [], prompt: safeMessage(args) };
  }

  protected async act(args: Record<string, unknown>, ctx: ToolContext): Promise<Outcome> {
    const message = messageOf(args, 'spawn_agent');
    if (message === undefined) throw new CollabError('spawn_agent needs `message`: the task for the new agent');
    const info = await this.manager.spawn(this.caller, {
      message,
      agentType: str(args.agent_type),
      model: str(args.model),
      effort: str(args.reasoning_effort),
      forkContext: args.fork_context === true,
    });
    // What failed to start without stopping the agent (its agent type's MCP servers): the model and the user are told.
    for (const w of info.warnings) ctx.emit({ type: 'warning', message: `agent ${info.nickname}: ${w}` });
    const output: JsonObject = { agent_id: info.id, nickname: info.nickname };
    if (info.warnings.length > 0) output.warnings = [...info.warnings];
    return { output, receivers: [info.id], states: { [info.id]: info.status } };
  }
}

class SendInput extends CollabToolBase {
  readonly name = 'send_input';
  readonly itemTool = 'send_input' as const;
  readonly spec = tool(
    'send_input',
    'Send a message to an agent you spawned: more work, or an answer to its question. It runs after the agent’s current ' +
      'task, or at once when `interrupt` is true (which stops what it is doing). Collect the answer with wait_agent.',
    schema(
      {
        target: { type: 'string', description: 'The agent id spawn_agent returned.' },
        message: { type: 'string', description: 'What to tell the agent.' },
        interrupt: { type: 'boolean', description: 'Stop its current task first (default false).' },
      },
      ['target', 'message'],
    ),
  );

  protected override before(args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    return { receivers: typeof args.target === 'string' ? [args.target] : [], prompt: safeMessage(args) };
  }

  protected async act(args: Record<string, unknown>): Promise<Outcome> {
    const target = str(args.target);
    const message = messageOf(args, 'send_input');
    if (target === undefined || message === undefined) throw new CollabError('send_input needs `target` (an agent id) and `message`');
    const submission = this.manager.send(target, message, args.interrupt === true);
    return { output: { submission_id: submission }, receivers: [target], states: { [target]: this.manager.get(target)?.status ?? 'not_found' } };
  }
}

class WaitAgent extends CollabToolBase {
  readonly name = 'wait_agent';
  readonly itemTool = 'wait' as const;
  readonly spec = tool(
    'wait_agent',
    `Wait until one of the given agents finishes (completed, errored, interrupted or closed), or until the timeout ` +
      `(default ${DEFAULT_WAIT_MS} ms, at most ${MAX_WAIT_MS} ms). Returns each agent's status; a completed agent's status ` +
      'holds its final answer. Call it again for the others.',
    schema(
      {
        targets: { type: 'array', items: { type: 'string' }, description: 'Agent ids to wait on.' },
        timeout_ms: { type: 'number', description: `How long to wait at most, in milliseconds (default ${DEFAULT_WAIT_MS}, at most ${MAX_WAIT_MS}).` },
      },
      ['targets'],
    ),
  );

  private targets(args: Record<string, unknown>): string[] {
    const t = args.targets ?? args.ids;
    if (typeof t === 'string') return [t];
    return Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  }

  protected override before(args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    return { receivers: this.targets(args), prompt: null };
  }

  protected async act(args: Record<string, unknown>, ctx: ToolContext): Promise<Outcome> {
    const targets = this.targets(args);
    const timeout = typeof args.timeout_ms === 'number' && Number.isFinite(args.timeout_ms) ? args.timeout_ms : undefined;
    const r = await this.manager.wait(targets, timeout, ctx.signal);
    const status = Object.fromEntries(Object.entries(r.status).map(([id, s]) => [id, statusJson(s)]));
    return { output: { status, timed_out: r.timed_out }, receivers: targets, states: r.status };
  }
}

class CloseAgent extends CollabToolBase {
  readonly name = 'close_agent';
  readonly itemTool = 'close_agent' as const;
  readonly spec = tool(
    'close_agent',
    'Close an agent you no longer need (stopping it if it is still working), which frees its slot. Returns its status before closing.',
    schema({ target: { type: 'string', description: 'The agent id.' } }, ['target']),
  );

  protected override before(args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    return { receivers: typeof args.target === 'string' ? [args.target] : [], prompt: null };
  }

  protected async act(args: Record<string, unknown>): Promise<Outcome> {
    const target = str(args.target);
    if (target === undefined) throw new CollabError('close_agent needs `target` (an agent id)');
    const previous = this.manager.close(target);
    return { output: { previous_status: statusJson(previous) }, receivers: [target], states: { [target]: this.manager.get(target)?.status ?? 'shutdown' } };
  }
}

class ResumeAgent extends CollabToolBase {
  readonly name = 'resume_agent';
  readonly itemTool = 'resume_agent' as const;
  readonly spec = tool(
    'resume_agent',
    'Reopen an agent you closed, so it can take input again with send_input (it keeps its conversation).',
    schema({ id: { type: 'string', description: 'The agent id.' } }, ['id']),
  );

  protected override before(args: Record<string, unknown>): { receivers: string[]; prompt: string | null } {
    const id = str(args.id) ?? str(args.target);
    return { receivers: id ? [id] : [], prompt: null };
  }

  protected async act(args: Record<string, unknown>): Promise<Outcome> {
    const id = str(args.id) ?? str(args.target);
    if (id === undefined) throw new CollabError('resume_agent needs `id` (an agent id)');
    const status = this.manager.resume(id);
    return { output: { status: statusJson(status) }, receivers: [id], states: { [id]: status } };
  }
}

/** The subagent tools for `caller` (none when it may not spawn: disabled, or at the depth limit). */
export function collabTools(manager: SubagentManager, caller: CollabCaller): ToolHandler[] {
  if (!manager.canSpawnFrom(caller.depth)) return [];
  return [new SpawnAgent(manager, caller), new SendInput(manager, caller), new WaitAgent(manager, caller), new CloseAgent(manager, caller), new ResumeAgent(manager, caller)];
}
