/**
 * A `headers` function on a server every caller shares is called per request with the context of
 * the caller that request is for: three conversations and a caller without a key, all at once, in
 * eager and lazy mode, over Streamable HTTP (both eras) and legacy SSE. The server records each
 * request's `x-user` header; every caller's requests carry that caller's own value. Over SSE,
 * whose requests carry the headers their connection opened with, each conversation gets its own
 * connection.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type HeadersContext, silentLogger } from '../src/index.js';
import {
  type HttpFaultServer,
  readEvents,
  startHttpFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';

const directory = temporaryDirectory('headers-context');
const eventsFile = join(directory.path, 'events.jsonl');
const servers: Record<string, HttpFaultServer> = {};

beforeAll(async () => {
  const [streamable, modern, sse] = await Promise.all([
    startHttpFaultServer('streamable', eventsFile),
    startHttpFaultServer('modern', eventsFile, { modern: true }),
    startHttpFaultServer('sse', eventsFile, { transport: 'sse' }),
  ]);
  Object.assign(servers, { streamable, modern, sse });
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  directory.cleanup();
});

const callers = ['alice', 'bob', 'carol', undefined] as const;
const userOf = (sessionKey: string | undefined) => (sessionKey ? `user-${sessionKey}` : 'anonymous');

const cases = [
  { label: 'Streamable HTTP (2025)', server: 'streamable', type: 'http' },
  { label: 'Streamable HTTP (2026-07-28)', server: 'modern', type: 'http' },
  { label: 'legacy SSE', server: 'sse', type: 'sse' },
  { label: 'legacy SSE behind a bare url', server: 'sse', type: undefined },
] as const;

describe.each(cases)('headers function on a shared $label server', ({ server, type }) => {
  const cacheDirectory = join(directory.path, `cache-${server}-${type ?? 'auto'}`);

  for (const loading of ['eager', 'lazy'] as const) {
    it(`${loading}: each caller's requests carry that caller's own values`, async () => {
      const contexts: HeadersContext[] = [];
      const options = {
        servers: {
          h: {
            url: (servers[server] as HttpFaultServer).url,
            ...(type === undefined ? {} : { type }),
            headers: (context: HeadersContext) => {
              contexts.push(context);
              return { 'X-User': userOf(context.sessionKey) };
            },
          },
        },
        cache: 'file' as const,
        cacheDirectory,
        logger: silentLogger,
      };
      if (loading === 'lazy') {
        // Warm the cache so the lazy registry lists tools without connecting.
        await (await createRegistry(options)).close();
      }
      await using registry = await createRegistry({ ...options, loading });
      if (loading === 'lazy') expect(registry.server('h')?.status).toBe('discovered');
      const marker = `${loading}-${server}-${Date.now()}`;
      // Three rounds of four concurrent callers; the first conversation may open the connection.
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all(
          callers.map((sessionKey) =>
            registry.callTool(
              'h__echo',
              { message: `${marker}:${sessionKey ?? '-'}:${round}` },
              sessionKey === undefined ? {} : { sessionKey },
            ),
          ),
        );
        expect(results.map((result) => result.isError)).toEqual([false, false, false, false]);
      }
      const calls = readEvents(eventsFile).filter(
        (event) =>
          event.event === 'request' && event.method === 'tools/call' && event.value?.startsWith(marker),
      );
      expect(calls).toHaveLength(12);
      for (const call of calls) {
        const key = (call.value as string).split(':')[1];
        expect({ value: call.value, user: call.user }).toEqual({
          value: call.value,
          user: userOf(key === '-' ? undefined : key),
        });
      }
      expect(contexts.every((context) => context.server === 'h')).toBe(true);
      // Streamable HTTP: one shared connection for everyone; SSE: one per conversation + the shared one.
      expect(registry.stats().byServer.h?.connections).toBe(server === 'sse' ? 4 : 1);
    });
  }
});
