/**
 * An upstream that lies or dies, behind a gateway, tried by two downstream callers at once: our
 * publisher on loopback (reached through a TCP proxy the test owns) with tools that flood log and
 * progress notifications, stall without ever answering, answer with a body (or send a log
 * notification) far over the message limit, or lose their connection mid-call; a second,
 * well-behaved upstream beside it.
 *
 * A flood reaches only its own caller, in order; an oversized notification is dropped; the others
 * end the downstream call with a typed error (`TIMEOUT`, `RESULT_TOO_LARGE`, `SERVER_CLOSED` in
 * the error result's `_meta`, never a hang past the server's `callTimeoutMs`); meanwhile another
 * caller's calls, on both upstreams, keep answering.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../core/test/support/tcp-proxy.js';
import { createPublisher, defineTool, type Publisher } from '../../publisher/src/index.js';
import { createGateway, GATEWAY_ERROR_META_KEY, type Gateway } from '../src/index.js';
import { startUpstreamPublisher, type UpstreamPublisher } from './support/upstream-publisher.js';

// Long enough that a loaded machine still delivers the over-limit body before it (the body must
// fail as RESULT_TOO_LARGE, not TIMEOUT: that raced at 2 s with a build running beside the suite).
const CALL_TIMEOUT_MS = 6_000;
const MESSAGE_LIMIT = 64 * 1024;

let hostile: Publisher;
let hostilePort = 0;
let proxy: TcpProxy;
let steady: UpstreamPublisher;
let gateway: Gateway;
let url: string;
let started: (() => void) | undefined;
/** The flood goes on until the test has seen what it needs; `flooded` counts what was sent. */
let stopFlood = false;
let flooded = 0;
/** Progress notifications of `flood_big` sent so far. */
let bigSent = 0;
const BIG_FLOOD = 3_000;
const BIG_MESSAGE = 16_000;
const clients: Client[] = [];

beforeAll(async () => {
  hostile = createPublisher({
    name: 'hostile',
    version: '1.0.0',
    onError: () => {},
    tools: [
      defineTool({
        name: 'flood',
        description: 'Floods log and progress notifications until told to stop, then answers.',
        async execute(_args, context) {
          flooded = 0;
          while (!stopFlood && !context.signal.aborted) {
            flooded++;
            await context.log('info', { index: flooded, padding: 'x'.repeat(200) }, 'flood');
            await context.reportProgress({ progress: flooded });
            // A remote flood runs on its own CPU; in this process it must let the others run too.
            await new Promise((resolve) => setImmediate(resolve));
          }
          return `flooded ${flooded}`;
        },
      }),
      defineTool({
        name: 'flood_big',
        description: `Sends ${BIG_FLOOD} progress notifications of ${BIG_MESSAGE} characters each, then answers.`,
        async execute(_args, context) {
          bigSent = 0;
          for (let index = 1; index <= BIG_FLOOD && !context.signal.aborted; index++) {
            await context.reportProgress({ progress: index, message: 'p'.repeat(BIG_MESSAGE) });
            bigSent = index;
            await new Promise((resolve) => setImmediate(resolve));
          }
          return 'big flood done';
        },
      }),
      defineTool({
        name: 'stall',
        description: 'Starts an answer (one progress notification), then never finishes it.',
        async execute(_args, context) {
          await context.reportProgress({ progress: 1, total: 2, message: 'started' });
          started?.();
          await new Promise(() => {});
          return 'never';
        },
      }),
      defineTool({
        name: 'huge',
        description: 'Answers with a body well over the message limit.',
        execute: () => 'h'.repeat(MESSAGE_LIMIT * 4),
      }),
      defineTool({
        name: 'huge_log',
        description: 'Sends one log notification far over the message limit, then answers.',
        async execute(_args, context) {
          await context.log('info', 'l'.repeat(MESSAGE_LIMIT * 16), 'huge');
          return 'after the huge log';
        },
      }),
      defineTool({
        name: 'echo',
        description: 'Echoes.',
        inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
        execute: ({ text }) => `echo ${text}`,
      }),
    ],
  });
  const hostileURL = (await hostile.listen()).url;
  hostilePort = Number(new URL(hostileURL).port);
  proxy = await startTcpProxy(() => hostilePort);
  steady = await startUpstreamPublisher();
  gateway = await createGateway({
    upstreams: {
      servers: {
        hostile: {
          url: `${proxy.url('http')}/mcp`,
          type: 'http',
          callTimeoutMs: CALL_TIMEOUT_MS,
          maxMessageBytes: MESSAGE_LIMIT,
        },
        // The same hostile server straight, with a deadline a loaded machine cannot miss: the flood's
        // bystanders are judged on answering at all while it goes on, not on speed.
        noisy: { url: hostileURL, type: 'http', callTimeoutMs: 60_000 },
        steady: { url: steady.url, type: 'http', callTimeoutMs: 60_000 },
      },
      cache: 'memory',
      logger: silentLogger,
    },
    publisher: { onError: () => {} },
  });
  ({ url } = await gateway.listen());
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
  await proxy?.stop();
  await hostile?.close({ drainMs: 0 });
  await steady?.close();
});

async function connect(name: string): Promise<{ client: Client; notifications: string[] }> {
  const notifications: string[] = [];
  const client = new Client({ name, version: '1.0.0' });
  client.fallbackNotificationHandler = async (notification) => {
    notifications.push(notification.method);
  };
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return { client, notifications };
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;
const textOf = (result: CallResult) =>
  (result.content as { type: string; text?: string }[]).map((block) => block.text ?? '').join('\n');
const codeOf = (result: CallResult) =>
  (result._meta?.[GATEWAY_ERROR_META_KEY] as { code?: string } | undefined)?.code;

/** Calls on both upstreams by a bystander: each must answer while the hostile call is under way. */
async function bystanderCalls(bystander: Client) {
  const [echoed, forecast] = await Promise.all([
    bystander.callTool({ name: 'hostile__echo', arguments: { text: 'still here' } }),
    bystander.callTool({ name: 'steady__forecast', arguments: { city: 'Oslo' } }),
  ]);
  expect(textOf(echoed)).toBe('echo still here');
  expect(forecast.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
}

describe('a hostile upstream behind the gateway', () => {
  it('a flood of notifications reaches only its caller, in order, while other calls keep answering', async () => {
    const { client: victim, notifications: victimSaw } = await connect('flooded');
    const { client: bystander, notifications: bystanderSaw } = await connect('bystander');
    stopFlood = false;
    const progress: number[] = [];
    const flooding = victim.callTool(
      { name: 'noisy__flood', arguments: {} },
      { onprogress: (update) => progress.push(update.progress), timeout: 120_000 },
    );
    while (flooded < 50) await new Promise((resolve) => setTimeout(resolve, 20));
    // Both upstreams answer the bystander while the flood goes on (it is stopped only afterwards).
    const [echoed, forecast] = await Promise.all([
      bystander.callTool({ name: 'noisy__echo', arguments: { text: 'still here' } }),
      bystander.callTool({ name: 'steady__forecast', arguments: { city: 'Oslo' } }),
    ]);
    const floodedMeanwhile = flooded;
    stopFlood = true;
    expect(textOf(echoed)).toBe('echo still here');
    expect(forecast.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
    const result = await flooding;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe(`flooded ${flooded}`);
    expect(flooded).toBeGreaterThanOrEqual(floodedMeanwhile);
    // Every progress notification reached its caller, in the order sent, before the result.
    expect(progress).toEqual(Array.from({ length: flooded }, (_, index) => index + 1));
    expect(victimSaw.filter((method) => method === 'notifications/message').length).toBe(flooded);
    // Nothing of the flood reached the other caller.
    expect(bystanderSaw).toEqual([]);
  });

  it("a flood to a caller who does not read stays bounded in the gateway's memory", async () => {
    // Memory is the outcome asserted here (bytes, not time): collect garbage before measuring.
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    // A 2026-07-28 request asking for progress, whose answer stream is never read.
    const reading = new AbortController();
    const response = await fetch(url, {
      method: 'POST',
      signal: reading.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tools/call',
        'mcp-name': 'noisy__flood_big',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'noisy__flood_big',
          arguments: {},
          _meta: {
            progressToken: 'never-read',
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'never-reads', version: '1.0.0' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });
    expect(response.status).toBe(200);
    await expect.poll(() => bigSent, { timeout: 120_000, interval: 100 }).toBe(BIG_FLOOD);
    collectGarbage();
    const grown = process.memoryUsage().heapUsed - before;
    reading.abort();
    // The upstream sent 3,000 × 16 kB (48 MB); the gateway may hold what its bound allows, not that.
    expect(grown).toBeLessThan((BIG_FLOOD * BIG_MESSAGE) / 4);
    // Others are still served.
    const { client: bystander } = await connect('bystander');
    await bystanderCalls(bystander);
  });

  it('a call that stalls mid-answer ends with a typed TIMEOUT at the deadline; others keep working', async () => {
    const { client: victim } = await connect('stalled');
    const { client: bystander } = await connect('bystander');
    const stalling = new Promise<void>((resolve) => {
      started = resolve;
    });
    const call = victim.callTool({ name: 'hostile__stall', arguments: {} }, { timeout: 30_000 });
    await stalling;
    await bystanderCalls(bystander);
    const result = await call;
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe('TIMEOUT');
    expect(textOf(result)).toMatch(/hostile/);
  });

  it('a body over the message limit is a typed RESULT_TOO_LARGE, none of it forwarded', async () => {
    const { client: victim } = await connect('huge');
    const { client: bystander } = await connect('bystander');
    const [result] = await Promise.all([
      victim.callTool({ name: 'hostile__huge', arguments: {} }, { timeout: 30_000 }),
      bystanderCalls(bystander),
    ]);
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe('RESULT_TOO_LARGE');
    expect(textOf(result)).not.toContain('hhhhhhhh');
    expect(JSON.stringify(result).length).toBeLessThan(4_096);
  });

  it('a notification over the message limit is dropped unread; the answer after it arrives', async () => {
    const { client: victim, notifications } = await connect('huge-log');
    const { client: bystander } = await connect('bystander');
    const [result] = await Promise.all([
      victim.callTool({ name: 'hostile__huge_log', arguments: {} }, { timeout: 30_000 }),
      bystanderCalls(bystander),
    ]);
    expect(JSON.stringify(result)).not.toContain('llllllll');
    // The oversized message is dropped unread; the answer after it still arrives.
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('after the huge log');
    expect(notifications.filter((method) => method === 'notifications/message')).toEqual([]);
  });

  it('an upstream whose connection dies mid-call ends that call with a typed error; the other upstream keeps working', async () => {
    const { client: victim } = await connect('orphaned');
    const { client: bystander } = await connect('bystander');
    const stalling = new Promise<void>((resolve) => {
      started = resolve;
    });
    const call = victim.callTool({ name: 'hostile__stall', arguments: {} }, { timeout: 30_000 });
    await stalling;
    // The connection dies: every open socket to the hostile upstream is torn down.
    await proxy.stop();
    const result = await call;
    expect(result.isError).toBe(true);
    expect(codeOf(result)).toBe('SERVER_CLOSED');
    expect(textOf(result)).toMatch(/hostile/);
    const forecast = await bystander.callTool({ name: 'steady__forecast', arguments: { city: 'Oslo' } });
    expect(forecast.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
  });
});
