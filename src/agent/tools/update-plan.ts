/** `update_plan`: the model's step list, shown to the user as a todo list that updates in place. */
import type { TodoListItem } from '../events.js';
import { parseArguments, type ToolCall, type ToolContext, type ToolHandler, type ToolResult } from '../tool-types.js';

const STATUSES = ['pending', 'in_progress', 'completed'] as const;
type Status = (typeof STATUSES)[number];

export interface PlanStep {
  step: string;
  status: Status;
}

function readPlan(args: Record<string, unknown>): PlanStep[] | string {
  const plan = args.plan;
  if (!Array.isArray(plan)) return 'update_plan needs `plan`: an array of {step, status}';
  const steps: PlanStep[] = [];
  for (const [i, s] of plan.entries()) {
    const step = (s as { step?: unknown })?.step;
    const status = (s as { status?: unknown })?.status;
    if (typeof step !== 'string' || step.trim() === '') return `plan[${i}].step must be a non-empty string`;
    if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
      return `plan[${i}].status must be one of ${STATUSES.join(', ')}`;
    }
    steps.push({ step, status: status as Status });
  }
  if (steps.filter((s) => s.status === 'in_progress').length > 1) return 'at most one step can be in_progress at a time';
  return steps;
}

/** One todo-list item per turn: started on the first update, updated after, completed when the turn ends. */
export class PlanTool implements ToolHandler {
  readonly name = 'update_plan';
  readonly parallelSafe = false;
  readonly spec = {
    type: 'function' as const,
    name: 'update_plan',
    description:
      'Record or update your plan for the task: a short list of steps, each pending, in_progress or completed, with at most one in_progress. Send the whole list every time; add an optional explanation when the plan changes.',
    strict: false,
    parameters: {
      type: 'object',
      properties: {
        explanation: { type: 'string' },
        plan: {
          type: 'array',
          description: 'The steps, in order.',
          items: {
            type: 'object',
            properties: { step: { type: 'string' }, status: { type: 'string', enum: [...STATUSES] } },
            required: ['step', 'status'],
            additionalProperties: false,
          },
        },
      },
      required: ['plan'],
      additionalProperties: false,
    },
  };

  private item: TodoListItem | null = null;
  private emitLast: ((item: TodoListItem) => void) | null = null;

  async run(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
    const args = parseArguments(call);
    if (!args.ok) return { output: args.message, success: false };
    const plan = readPlan(args.value);
    if (typeof plan === 'string') return { output: `failed to update the plan: ${plan}`, success: false };
    const items = plan.map((s) => ({ text: s.step, completed: s.status === 'completed' }));
    if (this.item === null) {
      this.item = { id: ctx.nextItemId(), type: 'todo_list', items };
      ctx.emit({ type: 'item.started', item: this.item });
    } else {
      this.item = { ...this.item, items };
      ctx.emit({ type: 'item.updated', item: this.item });
    }
    this.emitLast = (item) => ctx.emit({ type: 'item.completed', item });
    return { output: 'Plan updated', success: true };
  }

  /** Completes the turn's todo list, if there was one, and starts afresh for the next turn. */
  finishTurn(): void {
    if (this.item && this.emitLast) this.emitLast(this.item);
    this.item = null;
    this.emitLast = null;
  }

  /** The current plan as text (the exec answer when the model never wrote a message). */
  text(): string | null {
    return this.item ? this.item.items.map((i) => i.text).join('\n') : null;
  }
}
