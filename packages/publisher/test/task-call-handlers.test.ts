/**
 * A task's questions answered by the handlers of the call that started it: our publisher as the
 * server (a task tool that asks a question once it is a task) and @toolwire/core as the client.
 * `startTask(…, { onElicitation })` answers the task's question while its handle follows it,
 * before the conversation's and the registry's handlers; `resumeTask(ref, { onElicitation })`
 * does the same for a task picked up by id, in a registry that has no handler of its own.
 */
import { createRegistry, type Registry, silentLogger, type TaskRef, type ToolTask } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher } from '../src/index.js';

let listening: ListeningPublisher;
const registries: Registry[] = [];
/** Opens the gate of the task waiting to ask (so a test can take the task's ref first). */
let openGate: (() => void) | undefined;

async function openRegistry(
  options: Pick<Parameters<typeof createRegistry>[0], 'onElicitation'> = {},
): Promise<Registry> {
  const registry = await createRegistry({
    servers: { pub: { url: listening.url, toolPrefix: false } },
    cache: 'none',
    logger: silentLogger,
    ...options,
  });
  registries.push(registry);
  return registry;
}

const answeredBy =
  (who: string) =>
  async (request: { message?: unknown }): Promise<{ action: 'accept'; content: Record<string, string> }> => ({
    action: 'accept',
    content: { who: `${who} (${String(request.message)})` },
  });

beforeAll(async () => {
  listening = await createPublisher({
    name: 'task-handlers',
    version: '1.0.0',
    tasks: { pollIntervalMs: 20 },
    onError: () => {},
    tools: [
      defineTool({
        name: 'sign_off',
        description: 'Becomes a task, then asks who signs off.',
        inputSchema: { type: 'object', properties: { gated: { type: 'boolean' } } },
        task: true,
        async execute({ gated }: { gated?: boolean }, context) {
          if (gated) await new Promise<void>((resolve) => (openGate = resolve));
          const answer = await context.elicit({
            message: 'Who signs off?',
            requestedSchema: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] },
          });
          return `signed off by ${String(answer.content?.who)} in task ${context.taskId ?? 'none'}`;
        },
      }),
    ],
  }).listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  openGate?.();
  await Promise.all(registries.map((registry) => registry.close()));
  await listening?.close();
});

describe("a task's questions", () => {
  it("are answered by startTask()'s own onElicitation, before the conversation's and the registry's", async () => {
    const registry = await openRegistry({ onElicitation: answeredBy('the registry') });
    registry.setSessionHandlers('thread-1', { onElicitation: answeredBy('the conversation') });
    const started = await registry.startTask(
      'sign_off',
      {},
      { sessionKey: 'thread-1', onElicitation: answeredBy('the call') },
    );
    expect('taskId' in started).toBe(true);
    const result = await (started as ToolTask).result();
    expect(result.text).toMatch(/^signed off by the call \(Who signs off\?\) in task \S+$/);
    expect(result.text).not.toMatch(/in task none$/);
  });

  it("fall back to the conversation's handler when the call has none", async () => {
    const registry = await openRegistry({ onElicitation: answeredBy('the registry') });
    registry.setSessionHandlers('thread-2', { onElicitation: answeredBy('the conversation') });
    const task = (await registry.startTask('sign_off', {}, { sessionKey: 'thread-2' })) as ToolTask;
    expect((await task.result()).text).toMatch(/^signed off by the conversation /);
  });

  it("are answered by resumeTask()'s onElicitation in a registry without handlers of its own", async () => {
    const starter = await openRegistry({ onElicitation: answeredBy('the starter') });
    const started = (await starter.startTask('sign_off', { gated: true })) as ToolTask;
    const ref: TaskRef = started.ref;
    // Another registry (a restarted process) picks the task up and answers its question.
    const resumer = await openRegistry();
    const resumed = await resumer.resumeTask(ref, { onElicitation: answeredBy('the resumer') });
    const result = resumed.result();
    openGate?.();
    expect((await result).text).toMatch(/^signed off by the resumer /);
  });

  it('refuses a handler that is not a function, naming the option', async () => {
    const registry = await openRegistry();
    await expect(
      registry.resumeTask({ server: 'pub', taskId: 'any' }, { onElicitation: 'yes' as never }),
    ).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('resumeTask: onElicitation'),
    });
  });
});
