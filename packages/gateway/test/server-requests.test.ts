/**
 * Elicitation and sampling from an upstream forwarded to the downstream client and back, end to
 * end: server-everything (stdio, 2025) upstream asks during a call; the official SDK v2 client
 * downstream answers, on the 2025 era (requests on the call's stream) and on 2026-07-28 (an
 * `input_required` round, after which the gateway runs the call again with the answer). A
 * downstream client without the capability declines (elicitation) or refuses (sampling).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio } from '../../core/test/support/index.js';
import type { Gateway } from '../src/index.js';
import { startSharedGateway } from './support/shared-gateway.js';

const SAMPLE = 'everything__trigger-sampling-request';
const ELICIT = 'everything__trigger-elicitation-request';

let gateway: Gateway;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  ({ gateway, url } = await startSharedGateway({ everything: everythingStdio() }));
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await gateway?.close();
});

type Era = 'legacy' | '2026-07-28';

/** A downstream client answering what it declares; records the questions it was asked. */
async function connect(era: Era, declare: { elicitation: boolean; sampling: boolean }) {
  const asked: { method: string; params: unknown }[] = [];
  const client = new Client(
    { name: 'gateway-server-requests', version: '1.0.0' },
    {
      capabilities: {
        ...(declare.elicitation ? { elicitation: { form: {} } } : {}),
        ...(declare.sampling ? { sampling: {} } : {}),
      },
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  if (declare.elicitation) {
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push({ method: 'elicitation/create', params: request.params });
      return { action: 'accept', content: { name: 'Ada' } };
    });
  }
  if (declare.sampling) {
    client.setRequestHandler('sampling/createMessage', async (request) => {
      asked.push({ method: 'sampling/createMessage', params: request.params });
      return { role: 'assistant', content: { type: 'text', text: 'sampled downstream' }, model: 'scripted' };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(client);
  return { client, asked };
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return JSON.stringify(result.content);
}

describe.each(['legacy', '2026-07-28'] as const)('downstream era %s', (era) => {
  it('serves the upstream tools that ask, since the gateway declares both capabilities upstream', async () => {
    const { client } = await connect(era, { elicitation: true, sampling: true });
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining([SAMPLE, ELICIT]));
  });

  it("forwards the upstream's elicitation to the downstream client and its answer back", async () => {
    const { client, asked } = await connect(era, { elicitation: true, sampling: true });
    const result = await client.callTool({ name: ELICIT, arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Ada');
    const question = asked.find((entry) => entry.method === 'elicitation/create');
    expect(question?.params).toMatchObject({
      message: expect.any(String),
      requestedSchema: { type: 'object' },
    });
  });

  it("forwards the upstream's sampling request to the downstream client and its reply back", async () => {
    const { client, asked } = await connect(era, { elicitation: true, sampling: true });
    const result = await client.callTool({ name: SAMPLE, arguments: { prompt: 'hello', maxTokens: 5 } });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('sampled downstream');
    const question = asked.find((entry) => entry.method === 'sampling/createMessage');
    expect(JSON.stringify(question?.params)).toContain('hello');
  });
});

describe('a downstream client without the capabilities', () => {
  it('declines the elicitation, as a client without a form would', async () => {
    const { client, asked } = await connect('legacy', { elicitation: false, sampling: false });
    const result = await client.callTool({ name: ELICIT, arguments: {} });
    expect(text(result)).toMatch(/declin/i);
    expect(text(result)).not.toContain('Ada');
    expect(asked).toEqual([]);
  });

  it('refuses the sampling request: the upstream call fails instead of hanging', async () => {
    const { client } = await connect('legacy', { elicitation: false, sampling: false });
    const outcome = await client
      .callTool({ name: SAMPLE, arguments: { prompt: 'hello', maxTokens: 5 } })
      .then((result) => ({ isError: result.isError === true, text: text(result) }))
      .catch((error: Error) => ({ isError: true, text: error.message }));
    expect(outcome.isError).toBe(true);
    expect(outcome.text).not.toContain('sampled downstream');
  });

  it('on 2026-07-28, refuses the call itself with -32021 when the upstream needs sampling', async () => {
    const { client } = await connect('2026-07-28', { elicitation: false, sampling: false });
    const error = await client
      .callTool({ name: SAMPLE, arguments: { prompt: 'hello', maxTokens: 5 } })
      .then(() => undefined)
      .catch((caught: unknown) => caught as { code?: unknown; message?: string });
    expect(error?.code).toBe(-32021);
    expect(error?.message).toMatch(/sampling/);
  });
});
