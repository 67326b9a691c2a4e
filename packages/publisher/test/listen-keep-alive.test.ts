/**
 * `listen()` keeps idle connections longer than a load balancer's idle timeout (65 s by default,
 * `keepAliveTimeoutMs` to change it), so the balancer closes first and never reuses a connection
 * the publisher is closing at that moment (Node's own 5 s raced HAProxy's reuse of idle
 * connections). What a client is told is the `Keep-Alive: timeout=` header of each answer.
 */
import { describe, expect, it } from 'vitest';
import { createPublisher, defineTool } from '../src/index.js';

const ping = () =>
  createPublisher({
    name: 'keep-alive',
    version: '1.0.0',
    tools: [defineTool({ name: 'noop', description: 'Does nothing.', execute: () => 'ok' })],
  });

/** The `Keep-Alive` header of an answer on a kept-alive connection. */
async function keepAliveOf(url: string): Promise<string | null> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'keep-alive-test', version: '1.0.0' },
      },
    }),
  });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return response.headers.get('keep-alive');
}

describe('listen() keep-alive', () => {
  it('keeps idle connections 65 s by default, longer than common load balancers do', async () => {
    const publisher = ping();
    const listening = await publisher.listen();
    try {
      expect(await keepAliveOf(listening.url)).toBe('timeout=65');
    } finally {
      await publisher.close();
    }
  });

  it('takes keepAliveTimeoutMs', async () => {
    const publisher = ping();
    const listening = await publisher.listen({ keepAliveTimeoutMs: 7_000 });
    try {
      expect(await keepAliveOf(listening.url)).toBe('timeout=7');
    } finally {
      await publisher.close();
    }
  });

  it('refuses a keepAliveTimeoutMs that is not a whole number of ms above 0', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      const publisher = ping();
      await expect(publisher.listen({ keepAliveTimeoutMs: bad })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringContaining('keepAliveTimeoutMs'),
      });
      await publisher.close();
    }
  });
});
