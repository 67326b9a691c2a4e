/**
 * Plain `tools/call` requests on a 2025-era stdio connection leave the SDK client's request layer
 * out (`connection/direct-tool-calls.ts`) and behave as its path does, against real servers: the
 * same answers, one id space with the SDK's own requests, the same errors for bad results and for
 * results that miss their `outputSchema`, timeouts and aborts that tell the server, calls failed
 * by a closing transport, and 2026-07-28 connections left to the SDK.
 */
import {
  Client,
  type jsonSchemaValidator,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectToolCalls } from '../src/connection/direct-tool-calls.js';
import { ArgumentValidation } from '../src/registry/argument-validation.js';
import {
  faultServerPath,
  readEvents as readFaultEvents,
  startHttpFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';
import { fixtureStdio } from './support/fixture-servers.js';
import { readEvents, startHttpFixture, waitForEvent } from './support/index.js';
import { listedToolsStdio } from './support/listed-tools-servers.js';

const directory = temporaryDirectory('direct-tool-calls');
afterAll(() => directory.cleanup());

const validator: jsonSchemaValidator = new ArgumentValidation(undefined, () => {}).forSDK();
const open: Client[] = [];
afterAll(async () => {
  await Promise.allSettled(open.map((client) => client.close()));
});

interface Launch {
  command: string;
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
}

async function connect(launch: Launch): Promise<{ client: Client; transport: StdioClientTransport }> {
  const client = new Client(
    { name: 'direct-tool-calls', version: '1.0.0' },
    { jsonSchemaValidator: validator },
  );
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args ?? [],
    env: { PATH: process.env.PATH ?? '', ...launch.env },
    stderr: 'ignore',
  });
  open.push(client);
  await client.connect(transport);
  await client.listTools();
  return { client, transport };
}

function install(client: Client, transport: StdioClientTransport): DirectToolCalls {
  const direct = DirectToolCalls.install(client, transport, validator);
  if (!direct) throw new Error('the direct path was not installed on a 2025-era stdio connection');
  return direct;
}

/** What the SDK's own `request()` is asked, by method. */
function countRequests(client: Client): Map<string, number> {
  const counts = new Map<string, number>();
  const target = client as unknown as {
    request: (message: { method: string }, ...rest: unknown[]) => unknown;
  };
  const original = target.request;
  target.request = function request(this: unknown, message, ...rest) {
    counts.set(message.method, (counts.get(message.method) ?? 0) + 1);
    return original.call(this, message, ...rest);
  };
  return counts;
}

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** What a test compares of two errors: their kind, code and message. */
function described(error: unknown): { name: string; code: unknown; message: string } {
  const { name, message } = error as Error;
  return { name, code: (error as { code?: unknown }).code, message };
}

const faultServer = (name: string, eventsFile?: string): Launch => ({
  command: process.execPath,
  args: [faultServerPath],
  env: { FAULT_NAME: name, ...(eventsFile ? { FAULT_EVENTS_FILE: eventsFile } : {}) },
});

describe('direct tool calls', () => {
  it('answers calls without the SDK request layer, sharing its ids with the SDK requests in flight', async () => {
    const { client, transport } = await connect(faultServer('d'));
    const errors: Error[] = [];
    client.onerror = (error) => errors.push(error);
    const direct = install(client, transport);
    const requests = countRequests(client);
    const calls = Array.from({ length: 20 }, (_, index) =>
      direct.call(
        { name: 'echo', arguments: { message: `m${index}` } },
        { timeoutMs: 10_000, tool: undefined },
      ),
    );
    // The SDK's own requests interleave with ours: a mix-up of ids would cross their answers.
    const [tools, pong, ...results] = await Promise.all([client.listTools(), client.ping(), ...calls]);
    expect(results.map((result) => result.content)).toEqual(
      Array.from({ length: 20 }, (_, index) => [{ type: 'text', text: `d: m${index}` }]),
    );
    expect(tools.tools.some((tool) => tool.name === 'echo')).toBe(true);
    expect(pong).toEqual({});
    expect(requests.get('tools/call')).toBeUndefined();
    expect(errors).toEqual([]);
    expect(direct.pendingCount).toBe(0);
  });

  it('fails a result that is no CallToolResult as the SDK path does, and goes on', async () => {
    const { client, transport } = await connect(faultServer('bad'));
    const direct = install(client, transport);
    const viaSDK = await failureOf(client.callTool({ name: 'invalid_result', arguments: {} }));
    const viaDirect = await failureOf(
      direct.call({ name: 'invalid_result', arguments: {} }, { timeoutMs: 10_000, tool: undefined }),
    );
    expect(viaDirect).toBeInstanceOf(SdkError);
    expect((viaDirect as SdkError).code).toBe(SdkErrorCode.InvalidResult);
    expect(described(viaDirect)).toEqual(described(viaSDK));
    // A JSON-RPC error answer (an unknown tool) is the SDK's ProtocolError too.
    const unknownViaSDK = await client
      .callTool({ name: 'no_such_tool', arguments: {} })
      .catch((error) => error);
    const unknownViaDirect = await direct
      .call({ name: 'no_such_tool', arguments: {} }, { timeoutMs: 10_000, tool: undefined })
      .catch((error: unknown) => error);
    expect(described(unknownViaDirect)).toEqual(described(unknownViaSDK));
    const after = await direct.call(
      { name: 'echo', arguments: { message: 'still' } },
      { timeoutMs: 10_000, tool: undefined },
    );
    expect(after.content).toEqual([{ type: 'text', text: 'bad: still' }]);
  });

  it("checks structuredContent against the tool's outputSchema as Client.callTool does", async () => {
    const launch = listedToolsStdio({
      name: 'shaped',
      directory: directory.path,
      tools: [
        {
          name: 'count',
          inputSchema: { type: 'object' },
          outputSchema: { type: 'object', properties: { count: { type: 'number' } }, required: ['count'] },
        },
        {
          name: 'fine',
          inputSchema: { type: 'object' },
          outputSchema: { type: 'object', properties: { count: { type: 'number' } }, required: ['count'] },
        },
      ],
      structuredResults: { count: { count: 'many' }, fine: { count: 3 } },
    }) as Launch;
    const { client, transport } = await connect(launch);
    const direct = install(client, transport);
    const { tools } = await client.listTools();
    const toolOf = (name: string) => tools.find((tool) => tool.name === name);
    const viaSDK = await failureOf(client.callTool({ name: 'count', arguments: {} }));
    const viaDirect = await failureOf(
      direct.call({ name: 'count', arguments: {} }, { timeoutMs: 10_000, tool: toolOf('count') }),
    );
    expect(described(viaDirect)).toEqual(described(viaSDK));
    expect((viaDirect as Error).message).toMatch(/does not match the tool's output schema/);
    const fine = await direct.call(
      { name: 'fine', arguments: {} },
      { timeoutMs: 10_000, tool: toolOf('fine') },
    );
    expect(fine.structuredContent).toEqual({ count: 3 });
  });

  it('cancels at the server on a timeout and on an abort, as the SDK does', async () => {
    const eventsFile = `${directory.path}/cancel-events.jsonl`;
    const { client, transport } = await connect(fixtureStdio({ name: 'slow', eventsFile }) as Launch);
    const direct = install(client, transport);
    const timedOut = await failureOf(
      direct.call({ name: 'sleep', arguments: { ms: 20_000 } }, { timeoutMs: 200, tool: undefined }),
    );
    expect(timedOut).toBeInstanceOf(SdkError);
    expect((timedOut as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
    const first = await waitForEvent(eventsFile, (event) => event.notification === 'notifications/cancelled');
    const started = (await readEvents(eventsFile)).find(
      (event) => event.tool === 'sleep' && event.event === 'start',
    );
    expect(first.params?.requestId).toBe(started?.id);

    const controller = new AbortController();
    const aborted = failureOf(
      direct.call(
        { name: 'sleep', arguments: { ms: 20_000 } },
        { timeoutMs: 20_000, signal: controller.signal, tool: undefined },
      ),
    );
    await waitForEvent(
      eventsFile,
      (event) => event.tool === 'sleep' && event.event === 'start' && event.id !== started?.id,
    );
    controller.abort('stop');
    expect(described(await aborted)).toMatchObject({ code: SdkErrorCode.RequestTimeout, message: 'stop' });
    await waitForEvent(
      eventsFile,
      (event) => event.notification === 'notifications/cancelled' && event.params?.requestId !== started?.id,
    );
    // An already aborted signal sends nothing.
    const before = (await readEvents(eventsFile)).length;
    await expect(
      direct.call(
        { name: 'echo', arguments: { message: 'x' } },
        { timeoutMs: 1_000, signal: controller.signal, tool: undefined },
      ),
    ).rejects.toThrow('stop');
    expect(direct.pendingCount).toBe(0);
    expect(await client.ping()).toEqual({});
    expect((await readEvents(eventsFile)).slice(before).filter((event) => event.tool === 'echo')).toEqual([]);
  });

  it('times out each call at its own deadline when calls with different timeouts overlap', async () => {
    // One timer serves every pending call (call-deadlines.ts): a short timeout sent after a long
    // one must not wait for the long one's, and the long call must still get its answer.
    const { client, transport } = await connect(fixtureStdio({ name: 'overlapping' }) as Launch);
    const direct = install(client, transport);
    const long = direct.call(
      { name: 'sleep', arguments: { ms: 400 } },
      { timeoutMs: 60_000, tool: undefined },
    );
    const short = failureOf(
      direct.call({ name: 'sleep', arguments: { ms: 20_000 } }, { timeoutMs: 100, tool: undefined }),
    );
    const timedOut = await short;
    expect((timedOut as SdkError).code).toBe(SdkErrorCode.RequestTimeout);
    expect(direct.pendingCount).toBe(1);
    expect((await long).content).toEqual([{ type: 'text', text: 'slept 400 ms' }]);
    expect(direct.pendingCount).toBe(0);
    // Sequential calls after that share the timer: each is answered, none times out.
    for (let index = 0; index < 3; index++) {
      const reply = await direct.call(
        { name: 'echo', arguments: { message: `m${index}` } },
        { timeoutMs: 5_000, tool: undefined },
      );
      expect(reply.content).toEqual([{ type: 'text', text: `overlapping: m${index}` }]);
    }
  });

  it('fails the calls in flight when the transport closes, and every later one', async () => {
    const { client, transport } = await connect(fixtureStdio({ name: 'closing' }) as Launch);
    const direct = install(client, transport);
    const running = failureOf(
      direct.call({ name: 'sleep', arguments: { ms: 20_000 } }, { timeoutMs: 20_000, tool: undefined }),
    );
    await client.ping(); // the call has been written before the close
    await client.close();
    const failure = await running;
    expect(failure).toBeInstanceOf(SdkError);
    expect((failure as SdkError).code).toBe(SdkErrorCode.ConnectionClosed);
    await expect(
      direct.call({ name: 'echo', arguments: { message: 'late' } }, { timeoutMs: 1_000, tool: undefined }),
    ).rejects.toMatchObject({ code: SdkErrorCode.ConnectionClosed });
    expect(direct.pendingCount).toBe(0);
  });

  it("takes calls on a 2025-era Streamable HTTP session too, each with its caller's headers", async () => {
    const eventsFile = `${directory.path}/http-events.jsonl`;
    const http = await startHttpFaultServer('web', eventsFile);
    try {
      const client = new Client({ name: 'direct-tool-calls', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(new URL(http.url));
      await client.connect(transport);
      try {
        expect(client.getProtocolEra()).toBe('legacy');
        const direct = DirectToolCalls.install(client, transport, validator);
        if (!direct) throw new Error('the direct path was not installed on a 2025-era HTTP session');
        const requests = countRequests(client);
        const results = await Promise.all(
          ['ann', 'bob', 'cy'].map((user) =>
            direct.call(
              { name: 'echo', arguments: { message: user } },
              { timeoutMs: 10_000, headers: { 'x-user': user }, tool: undefined },
            ),
          ),
        );
        expect(results.map((result) => result.content)).toEqual(
          ['ann', 'bob', 'cy'].map((user) => [{ type: 'text', text: `web: ${user}` }]),
        );
        expect(requests.get('tools/call')).toBeUndefined();
        const calls = readFaultEvents(eventsFile).filter(
          (event) => event.event === 'request' && event.method === 'tools/call',
        );
        expect(calls.map((event) => [event.value, event.user]).sort()).toEqual([
          ['ann', 'ann'],
          ['bob', 'bob'],
          ['cy', 'cy'],
        ]);
      } finally {
        await client.close();
      }
    } finally {
      await http.stop();
    }
  });

  it('leaves a 2026-07-28 connection to the SDK client', async () => {
    // No stdio server here speaks 2026-07-28; the era check is the transport's no matter.
    const http = await startHttpFixture({ name: 'modern' });
    try {
      const client = new Client(
        { name: 'direct-tool-calls', version: '1.0.0' },
        { versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      const transport = new StreamableHTTPClientTransport(new URL(http.url));
      await client.connect(transport);
      try {
        expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
        expect(DirectToolCalls.install(client, transport, validator)).toBeUndefined();
      } finally {
        await client.close();
      }
    } finally {
      await http.stop();
    }
  });
});
