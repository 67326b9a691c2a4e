/**
 * MCP Tasks through the gateway (issue #20): an upstream task tool (our publisher, `task: true`)
 * called through the gateway as a task by a core registry downstream. The downstream gets a task
 * of the gateway's own at once, sees its status and progress change, answers the upstream's
 * question (input_required on both hops), and gets the upstream's result; cancelling the
 * downstream task cancels the upstream one; an upstream task's failure reaches the downstream with
 * the upstream's own error code. A 2026-07-28 client without the Tasks extension (the SDK v2
 * client) is one upstream too: a task-only upstream tool refuses it with the upstream's -32021,
 * passed through unchanged, and an optional one runs plainly upstream; a 2025-era client, whose
 * era has neither, gets the result of the upstream task the gateway follows for it.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { createRegistry, type Registry, silentLogger, TASKS_EXTENSION, type ToolTask } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, type ListeningPublisher } from '../../publisher/src/index.js';
import { createGateway, type Gateway } from '../src/index.js';
import { startToolsUpstream } from './support/tools-upstream.js';

let upstream: ListeningPublisher;
let gateway: Gateway;
let downstream: Registry;
/** Task ids of upstream calls whose signal was aborted. */
const upstreamCancelled: string[] = [];
/** The questions the downstream client was asked. */
const asked: string[] = [];
let releaseReport: (() => void) | undefined;
/** Runs of the task-only upstream tool. */
let exclusiveRuns = 0;
let gatewayURL: string;
const clients: Client[] = [];
/**
 * Both publishers tell their task clients to poll every 50 ms instead of the default second:
 * every task here is followed twice (the gateway polls the upstream, the caller the gateway), and
 * what is tested is what the polls carry, not how often they come.
 */
const tasks = { pollIntervalMs: 50 };

beforeAll(async () => {
  upstream = await startToolsUpstream(
    [
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
        name: 'rejected',
        description: 'Fails at protocol level with invalid params; runs as a task.',
        inputSchema: { type: 'object', properties: {} },
        task: true,
        execute: async () => {
          throw new ProtocolError(ProtocolErrorCode.InvalidParams, 'the ledger refused entry 7', {
            entry: 7,
          });
        },
      }),
      defineTool({
        name: 'exclusive',
        description: 'Runs only as a task.',
        inputSchema: { type: 'object', properties: {} },
        task: 'required',
        execute: async (_args, context) => {
          exclusiveRuns++;
          return `exclusive ran as task ${context.taskId ?? 'none'}`;
        },
      }),
      defineTool({
        name: 'quick',
        description: 'A task when the client can take one, else a plain call.',
        inputSchema: { type: 'object', properties: {} },
        task: true,
        execute: async (_args, context) => (context.taskId === undefined ? 'plain' : 'task'),
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
    { tasks },
  );
  gateway = await createGateway({
    upstreams: {
      servers: { up: { url: upstream.url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    },
    publisher: { onError: () => {}, tasks },
  });
  const { url } = await gateway.listen();
  gatewayURL = url;
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
  for (const client of clients) await client.close().catch(() => {});
  await downstream?.close();
  await gateway?.close();
  await upstream?.close();
});

const toolNamed = (suffix: string) => {
  const tool = downstream.tools().find((candidate) => candidate.name.endsWith(suffix));
  if (!tool) throw new Error(`no tool ending in ${suffix}: ${downstream.tools().map((t) => t.name)}`);
  return tool.name;
};

/** The gateway's own name of a tool (the downstream registry prefixes its server name). */
const gatewayToolNamed = (suffix: string) => toolNamed(suffix).replace(/^gw__/, '');

/** An SDK v2 client of the gateway on `era`, declaring `capabilities`. */
async function connectSDKClient(
  era: 'legacy' | '2026-07-28',
  capabilities: ConstructorParameters<typeof Client>[1] extends infer O
    ? O extends { capabilities?: infer C }
      ? C
      : never
    : never,
): Promise<Client> {
  const client = new Client(
    { name: 'gateway-tasks', version: '1.0.0' },
    { capabilities, versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } } },
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(gatewayURL)));
  clients.push(client);
  return client;
}

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
      protocolError: { code: ProtocolErrorCode.InternalError, message: 'the backend is gone' },
    });
    expect((await task.get()).status).toBe('failed');
  }, 60_000);

  it("fails with the upstream task's own error code, message and data", async () => {
    const task = (await downstream.startTask(toolNamed('rejected'), {})) as ToolTask;
    expect(task.taskId).toMatch(/\S/);
    const error = await task.result().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'TASK_FAILED',
      // The gateway's task failed as the upstream's did: -32602, not the -32603 of a relay failure.
      protocolError: {
        code: ProtocolErrorCode.InvalidParams,
        message: 'the ledger refused entry 7',
        data: { entry: 7 },
      },
    });
    expect((error as Error).message).toMatch(/the ledger refused entry 7 \(code -32602\)/);
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

describe('a caller without the Tasks extension', () => {
  it('on 2026-07-28, is refused a task-only upstream tool with the upstream -32021, unchanged', async () => {
    const client = await connectSDKClient('2026-07-28', {});
    const runsBefore = exclusiveRuns;
    const error = await client
      .callTool({ name: gatewayToolNamed('exclusive'), arguments: {} })
      .then(() => undefined)
      .catch((caught: unknown) => caught as { code?: unknown; message?: string; data?: unknown });
    expect(error?.code).toBe(-32021);
    expect(error?.message).toMatch(/Tool "exclusive" needs the io\.modelcontextprotocol\/tasks extension/);
    expect(error?.data).toEqual({ requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } });
    // Refused upstream before it ran.
    expect(exclusiveRuns).toBe(runsBefore);
  }, 60_000);

  it('on 2026-07-28, gets an optional upstream task tool run plainly upstream', async () => {
    const client = await connectSDKClient('2026-07-28', {});
    const result = await client.callTool({ name: gatewayToolNamed('quick'), arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'plain' }]);
  }, 60_000);

  it('on 2026-07-28 with the extension declared, gets the task-only tool run as a task', async () => {
    expect((await downstream.callTool(toolNamed('exclusive'), {})).text).toMatch(
      /^exclusive ran as task \S+$/,
    );
    expect((await downstream.callTool(toolNamed('quick'), {})).text).toBe('task');
  }, 60_000);

  it('on the 2025 era, gets the result of the upstream task the gateway follows for it', async () => {
    const client = await connectSDKClient('legacy', {});
    const result = await client.callTool({ name: gatewayToolNamed('exclusive'), arguments: {} });
    expect(result.isError).not.toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/exclusive ran as task (?!none)\S+/);
  }, 60_000);
});
