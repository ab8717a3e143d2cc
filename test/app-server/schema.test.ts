/** The schema check the app-server tests rely on catches what does not fit Codex 0.171's protocol. */
import { describe, expect, it } from 'vitest';
import { schemaProblems } from './client.js';

describe('Codex 0.171 schema check', () => {
  it('accepts a well-formed notification and flags missing fields, wrong types and unknown methods', () => {
    expect(schemaProblems({ method: 'item/agentMessage/delta', params: { threadId: 't', turnId: 'u', itemId: 'i', delta: 'x' } })).toEqual([]);
    expect(schemaProblems({ method: 'item/agentMessage/delta', params: { threadId: 't', turnId: 'u', delta: 'x' } }).join()).toMatch(/itemId/);
    expect(schemaProblems({ method: 'turn/completed', params: { threadId: 't', turn: { id: 'u', status: 'done' } } })).not.toEqual([]);
    expect(schemaProblems({ method: 'thread/madeUp', params: {} })).toEqual(['thread/madeUp: not a server notification of Codex 0.171']);
  });

  it('checks responses by the method they answer, and server requests by theirs', () => {
    expect(schemaProblems({ id: 1, result: { turnId: 'u' } }, 'turn/steer')).toEqual([]);
    expect(schemaProblems({ id: 1, result: {} }, 'turn/steer')).not.toEqual([]);
    expect(schemaProblems({ id: 1, result: {} }, 'thread/madeUp')[0]).toMatch(/no schema/);
    expect(schemaProblems({ id: 3, method: 'item/commandExecution/requestApproval', params: { threadId: 't', turnId: 'u', itemId: 'i', startedAtMs: 1 } })).toEqual([]);
    expect(schemaProblems({ id: 3, method: 'item/fileChange/requestApproval', params: { threadId: 't' } })).not.toEqual([]);
    expect(schemaProblems({ id: 2, error: { code: -32601, message: 'no' } })).toEqual([]);
    expect(schemaProblems({ id: 2, error: { message: 'no' } })).not.toEqual([]);
  });
});
