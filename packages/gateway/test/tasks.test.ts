/**
 * MCP Tasks through the gateway (issue #20): an upstream task tool (our publisher, `task: true`)
 * called through the gateway as a task by a core registry downstream. The downstream gets a task
 * of the gateway's own at once, sees its status and progress change, answers the upstream's
 * question (input_required on both hops), and gets the upstream's result; cancelling the
 * downstream task cancels the upstream one.
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { createRegistry, type Registry, silentLogger, type ToolTask } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type ListeningPublisher } from '../../publisher/src/index.js';
import { createGateway, type Gateway } from '../src/index.js';

let upstream: ListeningPublisher;
let gateway: Gateway;
let downstream: Registry;
/** Task ids of upstream calls whose signal was aborted. */
const upstreamCancelled: string[] = [];
/** The questions the downstream client was asked. */
const asked: string[] = [];
let releaseReport: (() => void) | undefined;

beforeAll(async () => {
  upstream = await createPublisher({
    name: 'upstream',
    version: '1.0.0',
    onError: () => {},
    tools: [
      defineTool({
        name: 'report',
        description: 'Writes a report after asking for its title; runs as a task.',
        inputSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
        task: true,
        execute: async ({ topic }: { topic: string }, context) => {
          await context.reportProgress({ progress: 1, total: 2, message: 'gathering sources' });
          const answer = await context.elicit({
            message: 'Title of the report?',
            requestedSchema: {
              type: 'object',
              properties: { title: { type: 'string' } },
              required: ['title'],
            },
          });
          // Held until the test has seen the task working after the answer.
          await new Promise<void>((resolve) => {
            releaseReport = resolve;
          });
          await context.reportProgress({ progress: 2, total: 2, message: 'written' });
          return `${String(answer.content?.title)}: a report on ${topic} (upstream task ${context.taskId})`;
        },
      }),
      defineTool({
        name: 'survey',
        description: 'Asks two questions at once; runs as a task.',
        inputSchema: { type: 'object', properties: {} },
        task: true,
        execute: async (_args, context) => {
          const ask = (field: string) =>
            context.elicit({
              message: `Survey: ${field}?`,
              requestedSchema: {
                type: 'object',
                properties: { [field]: { type: 'string' } },
                required: [field],
              },
            });
          const [colour, animal] = await Promise.all([ask('colour'), ask('animal')]);
          return `${String(colour.content?.colour)} ${String(animal.content?.animal)}`;
        },
      }),
      defineTool({
        name: 'broken',
        description: 'Fails at protocol level; runs as a task.',
        inputSchema: { type: 'object', properties: {} },
        task: true,
        execute: async () => {
          throw new ProtocolError(ProtocolErrorCode.InternalError, 'the backend is gone');
        },
      }),
      defineTool({
        name: 'forever',
        description: 'Runs until cancelled; runs as a task.',
        inputSchema: { type: 'object', properties: {} },
        task: true,
        execute: async (_args, context) => {
          await new Promise<void>((resolve) => {
            if (context.signal.aborted) resolve();
            context.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          upstreamCancelled.push(context.taskId ?? 'no task');
          return 'cancelled';
        },
      }),
    ],
  }).listen({ host: '127.0.0.1', port: 0 });
  gateway = await createGateway({
    upstreams: {
      servers: { up: { url: upstream.url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    },
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  downstream = await createRegistry({
    servers: { gw: { url, type: 'http' } },
    cache: 'none',
    logger: silentLogger,
    onElicitation: async (request) => {
      const message = String((request as { message: string }).message);
      asked.push(message);
      const survey = /^Survey: (\w+)\?$/.exec(message);
      if (!survey) return { action: 'accept', content: { title: 'Tides' } };
      // Answers only once both survey questions are asked: they must arrive in one round.
      await until(
        async () =>
          asked.filter((question) => question.startsWith('Survey')).length === 2 ? true : undefined,
        'both survey questions',
      );
      return {
        action: 'accept',
        content: { [String(survey[1])]: survey[1] === 'colour' ? 'teal' : 'otter' },
      };
    },
  });
}, 60_000);

afterAll(async () => {
  await downstream?.close();
  await gateway?.close();
  await upstream?.close();
});

const toolNamed = (suffix: string) => {
  const tool = downstream.tools().find((candidate) => candidate.name.endsWith(suffix));
  if (!tool) throw new Error(`no tool ending in ${suffix}: ${downstream.tools().map((t) => t.name)}`);
  return tool.name;
};

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an upstream task tool through the gateway', () => {
  it('is a task of the gateway downstream: status, progress, the question and the result', async () => {
    const started = await downstream.startTask(toolNamed('report'), { topic: 'tides' });
    expect('taskId' in started).toBe(true);
    const task = started as ToolTask;
    expect(task.taskId).toMatch(/\S/);
    expect(['working', 'input_required']).toContain((await task.get()).status);

    const progress: string[] = [];
    const result = task.result({
      onProgress: (update) => {
        if (update.message) progress.push(update.message);
      },
    });
    // The answer reached the upstream, which now holds the task working until released.
    await until(async () => releaseReport, 'the upstream to get its answer');
    const working = await task.get();
    expect(working.status).toBe('working');
    releaseReport?.();
    const done = await result;
    expect(asked).toEqual(['Title of the report?']);
    expect(done.text).toMatch(/^Tides: a report on tides \(upstream task \S+\)$/);
    // The gateway's task is its own, not the upstream's.
    expect(done.text).not.toContain(task.taskId);
    expect(progress).toContain('gathering sources');
    expect((await task.get()).status).toBe('completed');
  }, 60_000);

  it("asks the downstream all of the upstream's questions of one round at once", async () => {
    const task = (await downstream.startTask(toolNamed('survey'), {})) as ToolTask;
    expect(task.taskId).toMatch(/\S/);
    expect((await task.result()).text).toBe('teal otter');
    expect(asked.filter((question) => question.startsWith('Survey')).sort()).toEqual([
      'Survey: animal?',
      'Survey: colour?',
    ]);
  }, 60_000);

  it('fails when the upstream task fails at protocol level', async () => {
    const task = (await downstream.startTask(toolNamed('broken'), {})) as ToolTask;
    expect(task.taskId).toMatch(/\S/);
    await expect(task.result()).rejects.toMatchObject({
      code: 'TASK_FAILED',
      message: expect.stringContaining('the backend is gone'),
    });
    expect((await task.get()).status).toBe('failed');
  }, 60_000);

  it('cancels the upstream task when the downstream task is cancelled', async () => {
    const started = await downstream.startTask(toolNamed('forever'), {});
    expect('taskId' in started).toBe(true);
    const task = started as ToolTask;
    expect((await task.get()).status).toBe('working');
    await task.cancel();
    await until(
      async () => (upstreamCancelled.length > 0 ? true : undefined),
      'the upstream task to be cancelled',
    );
    expect(upstreamCancelled).toHaveLength(1);
    expect(upstreamCancelled[0]).not.toBe('no task');
    expect((await task.get()).status).toBe('cancelled');
  }, 60_000);
});
