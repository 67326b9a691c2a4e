/**
 * Sessions belong to the user who opened them, on every instance: with JWT auth (a local JWKS),
 * user A's session continues through the whole fleet while user B, holding a valid token of
 * their own and A's session id, gets the same 404 as for an unknown session from every
 * instance, for calls, the GET stream, resumption and DELETE.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleet } from '../support/fleet.mjs';
import { startJWKS } from '../support/jwks.mjs';
import { fleetAvailable } from '../support/requirements.mjs';

const available = await fleetAvailable();

type Fleet = Awaited<ReturnType<typeof startFleet>>;
type Issuer = Awaited<ReturnType<typeof startJWKS>>;
const textOf = (result: unknown) =>
  ((result as { content: { text: string }[] }).content[0] as { text: string }).text;

describe.skipIf(!available)("user B cannot use user A's session through any instance", () => {
  let issuer: Issuer;
  let fleet: Fleet;

  beforeAll(async () => {
    issuer = await startJWKS();
    fleet = await startFleet({ instances: 3, auth: issuer.auth });
  });
  afterAll(async () => {
    await fleet?.close();
    await issuer?.stop();
  });

  it('refuses B everywhere, exactly like an unknown session, while A goes on', async () => {
    const tokenA = await issuer.token('user-a');
    const tokenB = await issuer.token('user-b');
    const client = new Client({ name: 'user-a', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(fleet.url), {
      requestInit: { headers: { authorization: `Bearer ${tokenA}` } },
    });
    await client.connect(transport);
    const sessionId = transport.sessionId as string;
    // A's session now has a copy on several instances.
    for (let call = 0; call < 3; call++) await client.callTool({ name: 'where', arguments: {} });

    const headers = (token: string, session: string, extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      'mcp-session-id': session,
      ...extra,
    });
    const attempt = async (token: string, session: string, kind: 'call' | 'stream' | 'resume' | 'delete') => {
      const init: RequestInit =
        kind === 'call'
          ? {
              method: 'POST',
              headers: headers(token, session),
              body: JSON.stringify({
                jsonrpc: '2.0',
                id: 9,
                method: 'tools/call',
                params: { name: 'where', arguments: {} },
              }),
            }
          : kind === 'delete'
            ? { method: 'DELETE', headers: headers(token, session) }
            : {
                method: 'GET',
                headers: headers(
                  token,
                  session,
                  kind === 'resume' ? { 'last-event-id': `1-${session.slice(0, 8)}:_GET_stream` } : {},
                ),
              };
      const response = await fetch(fleet.url, init);
      return {
        status: response.status,
        instance: response.headers.get('x-served-by'),
        body: await response.text(),
      };
    };

    const unknown = await attempt(tokenB, crypto.randomUUID(), 'call');
    expect(unknown.status).toBe(404);
    const reached = new Set<string | null>();
    for (const kind of ['call', 'stream', 'resume', 'delete'] as const) {
      for (let round = 0; round < 3; round++) {
        const answer = await attempt(tokenB, sessionId, kind);
        reached.add(answer.instance);
        expect({ kind, status: answer.status, body: answer.body }).toEqual({
          kind,
          status: 404,
          body: unknown.body,
        });
      }
    }
    expect(reached).toEqual(new Set(['a', 'b', 'c']));

    // Nothing B did touched A's session.
    const answers: string[] = [];
    for (let call = 0; call < 3; call++)
      answers.push(textOf(await client.callTool({ name: 'where', arguments: {} })));
    for (const answer of answers) expect(answer.endsWith(`:${sessionId}`)).toBe(true);
    expect(new Set(answers.map((answer) => answer.split(':')[0]))).toEqual(new Set(['a', 'b', 'c']));
    await transport.terminateSession();
    await client.close();
  });
});
