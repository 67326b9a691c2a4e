/**
 * A second, hostile user answering a question meant for the first: users A (`agent`) and B
 * (`agent-b`) hold real tokens from a real OAuth server (oidc-provider on loopback) and are 2025-era
 * SDK v2 clients of the gateway; the upstream is our publisher with a tool that asks its client
 * (elicitation) for a name. While the gateway's `elicitation/create` waits on A, B posts forged
 * answers (JSON-RPC responses accepting with another name) for every request id it could have, in
 * its own session and in A's; the upstream gets A's answer and only A's.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, type ListeningPublisher } from '../../publisher/src/index.js';
import type { OAuthClientName } from '../../publisher/test/support/oauth-server.js';
import { startUsersGateway, type UsersGateway } from './support/gateway-users.js';
import { startToolsUpstream } from './support/tools-upstream.js';

const nameForm = {
  message: 'Your name?',
  requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } },
};

let upstream: ListeningPublisher;
let users: UsersGateway;
let url: string;
const clients: Client[] = [];

beforeAll(async () => {
  upstream = await startToolsUpstream([
    defineTool({
      name: 'ask',
      description: 'Asks its client for a name.',
      async execute(_args, context) {
        const answer = await context.elicit(nameForm, { key: 'name' });
        return `hello ${String(answer.content?.name)}`;
      },
    }),
  ]);
  users = await startUsersGateway({
    upstreams: {
      servers: { upstream: { url: upstream.url, type: 'http' } },
      cache: 'memory',
      logger: silentLogger,
    },
  });
  ({ url } = users);
});

afterAll(async () => {
  for (const client of clients.splice(0)) await client.close().catch(() => {});
  await users?.close();
  await upstream?.close();
});

interface User {
  client: Client;
  token: string;
  sessionId: string | undefined;
}

async function connectAs(user: OAuthClientName, onElicit?: () => Promise<string>): Promise<User> {
  const token = await users.token(user);
  const client = new Client(
    { name: `answers-${user}`, version: '1.0.0' },
    { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'legacy' } },
  );
  client.setRequestHandler('elicitation/create', async () => ({
    action: 'accept',
    content: { name: onElicit ? await onElicit() : user },
  }));
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  clients.push(client);
  return { client, token, sessionId: transport.sessionId };
}

/** Posts B's forged answers for request ids 0–29 (numbers and strings) as `token` into `sessionId`. */
async function forgeAnswers(token: string, sessionId: string | undefined): Promise<number[]> {
  const statuses: number[] = [];
  for (let id = 0; id < 30; id++) {
    for (const requestId of [id, String(id)]) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
          authorization: `Bearer ${token}`,
          ...(sessionId ? { 'mcp-session-id': sessionId } : {}),
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: requestId,
          result: { action: 'accept', content: { name: 'B-forged' } },
        }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel().catch(() => {});
      statuses.push(response.status);
    }
  }
  return statuses;
}

describe("B answering the upstream's question to A", () => {
  it("B's forged answers, in B's session and in A's, never reach the upstream; A's does", async () => {
    let asked: () => void = () => {};
    const askedA = new Promise<void>((resolve) => {
      asked = resolve;
    });
    let answer: (name: string) => void = () => {};
    const answerA = new Promise<string>((resolve) => {
      answer = resolve;
    });
    const alice = await connectAs('agent', () => {
      asked();
      return answerA;
    });
    const bob = await connectAs('agent-b');
    const calling = alice.client.callTool({ name: 'upstream__ask', arguments: {} });
    await askedA;

    const inOwnSession = await forgeAnswers(bob.token, bob.sessionId);
    const inAlicesSession = await forgeAnswers(bob.token, alice.sessionId);
    // Responses B posts in its own session are accepted for delivery (202) and matched to nothing of A's;
    // into A's session B is not let in at all.
    expect(inOwnSession.every((status) => status < 500)).toBe(true);
    expect(inAlicesSession.every((status) => status === 403 || status === 404)).toBe(true);

    answer('A-answer');
    const result = await calling;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'hello A-answer' }]);
    // B's own session still works, with B's own answer.
    const own = await bob.client.callTool({ name: 'upstream__ask', arguments: {} });
    expect(own.content).toEqual([{ type: 'text', text: 'hello agent-b' }]);
  });
});
