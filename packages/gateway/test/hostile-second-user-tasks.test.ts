/**
 * A second, hostile user and the first user's task: users A (`agent`) and B (`agent-b`) hold real
 * tokens from a real OAuth server (oidc-provider on loopback) and call through the gateway with a
 * core registry each (Tasks extension, 2026-07-28); the upstream is our publisher with a task tool
 * that runs until released. A starts a task; B, knowing its id, asks for it (`tasks/get`, as
 * `resumeTask` does, and by hand), answers it (`tasks/update`) and cancels it (`tasks/cancel`),
 * and is told each time it does not exist (-32602, as for an unknown task); A's task goes on,
 * uncancelled, to A's result.
 */
import { createRegistry, type Registry, silentLogger, type ToolTask, ToolwireError } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, type ListeningPublisher } from '../../publisher/src/index.js';
import { modernRequest } from '../../publisher/test/support/modern-mcp.js';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startToolsUpstream } from './support/tools-upstream.js';

let upstream: ListeningPublisher;
let users: UsersGateway;
let url: string;
let release: (() => void) | undefined;
const upstreamCancelled: string[] = [];
const registries: Registry[] = [];

beforeAll(async () => {
  upstream = await startToolsUpstream([
    defineTool({
      name: 'ledger',
      description: 'Runs until released, as a task.',
      task: true,
      async execute(_args, context) {
        await new Promise<void>((resolve) => {
          release = resolve;
          context.signal.addEventListener(
            'abort',
            () => {
              upstreamCancelled.push(context.taskId ?? 'no task');
              resolve();
            },
            { once: true },
          );
        });
        return `ledger of ${context.authInfo?.clientId ?? 'the gateway'}`;
      },
    }),
  ]);
  users = await startUsersGateway({
    upstreams: {
      servers: { upstream: { url: upstream.url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    },
    upstreamSessions: 'shared',
  });
  ({ url } = users);
});

afterAll(async () => {
  for (const registry of registries.splice(0)) await registry.close().catch(() => {});
  await users?.close();
  await upstream?.close();
});

async function registryAs(user: OAuthClientName): Promise<Registry> {
  const token = await users.token(user);
  const registry = await createRegistry({
    servers: { gw: { url, type: 'http', headers: { authorization: `Bearer ${token}` } } },
    cache: 'none',
    logger: silentLogger,
  });
  registries.push(registry);
  return registry;
}

describe("B and A's task", () => {
  it("B cannot read, answer or cancel A's task by its id; A's task runs on to A's result", async () => {
    const alice = await registryAs('agent');
    const bob = await registryAs('agent-b');
    const started = await alice.startTask('gw__upstream__ledger', {});
    expect('taskId' in started).toBe(true);
    const task = started as ToolTask;

    const stolen = await bob
      .resumeTask({ server: 'gw', taskId: task.taskId })
      .catch((error: unknown) => error);
    expect(ToolwireError.isInstance(stolen)).toBe(true);
    expect((stolen as ToolwireError).code).toBe('TASK_NOT_FOUND');

    // By hand, on the wire (SEP-2663 has no tasks/result: the result comes with tasks/get).
    const tokens = { alice: await users.token('agent'), bob: await users.token('agent-b') };
    const as = (who: keyof typeof tokens, method: string, params: Record<string, unknown>) =>
      modernRequest(url, method, params, {
        token: tokens[who],
        capabilities: { elicitation: {}, extensions: { 'io.modelcontextprotocol/tasks': {} } },
        headers: { 'mcp-name': task.taskId },
      });
    // The same request by A is answered: B's refusals are about B, not about the request.
    expect((await as('alice', 'tasks/get', { taskId: task.taskId })).body.result?.taskId).toBe(task.taskId);
    const asBob = (method: string, params: Record<string, unknown>) => as('bob', method, params);
    const got = await asBob('tasks/get', { taskId: task.taskId });
    expect(got.body.error?.code).toBe(-32602);
    const updated = await asBob('tasks/update', {
      taskId: task.taskId,
      inputResponses: { name: { action: 'accept', content: { name: 'B-forged' } } },
    });
    expect(updated.body.error?.code).toBe(-32602);
    const cancelled = await asBob('tasks/cancel', { taskId: task.taskId });
    expect(cancelled.body.error?.code).toBe(-32602);
    for (const answer of [got, updated, cancelled])
      expect(JSON.stringify(answer.body)).not.toContain('ledger of');

    // A's own handle still reads it, and it was not cancelled by B's attempts.
    const again = await alice.resumeTask(task.ref);
    expect(['working', 'input_required']).toContain((await again.get()).status);
    expect(upstreamCancelled).toEqual([]);
    await expect.poll(() => release !== undefined, { timeout: 10_000 }).toBe(true);
    release?.();
    const result = await task.result();
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('ledger of');
  });
});
