/**
 * Bounded resources against peers that flood: a stdio server writing 100 MB of stderr without a
 * newline, and results larger than the message size limit over stdio and Streamable HTTP. Each
 * ends with the typed error (or within a memory bound), never with the call's own timeout, and
 * the server is usable again on the next call. Nothing here is timed: a machine under load only
 * makes it slower.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  type HttpFaultServer,
  startHttpFaultServer,
  stdioFaultServer,
  temporaryDirectory,
} from './support/fault-servers.js';

const directory = temporaryDirectory('limits');
const eventsFile = join(directory.path, 'events.jsonl');
let http: HttpFaultServer;

beforeAll(async () => {
  http = await startHttpFaultServer('h', eventsFile);
});
afterAll(async () => {
  await http?.stop();
  directory.cleanup();
});

const MB = 1024 * 1024;

describe('stderr flood', () => {
  it('100 MB of stderr without a newline grows the host by < 100 MB; the call and the next one answer', async () => {
    await using registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'none',
      logger: silentLogger,
    });
    const before = process.memoryUsage().rss;
    const result = await registry.callTool('s__stderr_flood', { bytes: 100 * MB }, { timeoutMs: 50_000 });
    const grownMB = (process.memoryUsage().rss - before) / MB;
    expect(result.text).toBe(`flooded ${100 * MB}`);
    // An ever-growing line buffer would hold the whole 100 MB (a line keeps at most 4 KiB).
    expect(grownMB).toBeLessThan(100);
    expect((await registry.callTool('s__echo', { message: 'after' })).text).toBe('s: after');
  }, 60_000);
});

describe('message size limit', () => {
  /** The call's failure: `RESULT_TOO_LARGE` as soon as the limit is passed, not its 30 s `TIMEOUT`. */
  async function oversize(registry: Registry, tool: string, bytes: number) {
    const failure = await registry.callTool(tool, { bytes }, { timeoutMs: 30_000 }).catch((error) => error);
    return { failure };
  }

  it('over stdio: a result past maxMessageBytes fails RESULT_TOO_LARGE naming server, tool and limit; the next call works', async () => {
    await using registry = await createRegistry({
      servers: { s: { ...stdioFaultServer('s', eventsFile), maxMessageBytes: MB } },
      cache: 'none',
      logger: silentLogger,
    });
    const { failure } = await oversize(registry, 's__huge_result', 3 * MB);
    expect(failure).toMatchObject({ code: 'RESULT_TOO_LARGE', server: 's', tool: 's__huge_result' });
    expect((failure as Error).message).toMatch(/1048576 bytes/);
    expect((failure as Error).message).toMatch(/maxMessageBytes/);
    expect((await registry.callTool('s__huge_result', { bytes: 1000 })).text).toHaveLength(1000);
    expect((await registry.callTool('s__echo', { message: 'after' })).text).toBe('s: after');
  });

  it('over stdio: the registry-wide default limit (10 MiB) applies and can be raised', async () => {
    await using registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'none',
      logger: silentLogger,
    });
    const { failure } = await oversize(registry, 's__huge_result', 11 * MB);
    expect(failure).toMatchObject({ code: 'RESULT_TOO_LARGE' });
    expect((failure as Error).message).toMatch(/10485760 bytes/);
    await using raised = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      maxMessageBytes: 16 * MB,
      cache: 'none',
      logger: silentLogger,
    });
    expect((await raised.callTool('s__huge_result', { bytes: 11 * MB })).text).toHaveLength(11 * MB);
  });

  it('over Streamable HTTP: a result past maxMessageBytes fails RESULT_TOO_LARGE; the next call works', async () => {
    await using registry = await createRegistry({
      servers: { h: { url: http.url, type: 'http', maxMessageBytes: MB } },
      cache: 'none',
      logger: silentLogger,
    });
    const { failure } = await oversize(registry, 'h__huge_result', 3 * MB);
    expect(failure).toMatchObject({ code: 'RESULT_TOO_LARGE', server: 'h', tool: 'h__huge_result' });
    expect((failure as Error).message).toMatch(/1048576 bytes/);
    expect((await registry.callTool('h__huge_result', { bytes: 1000 })).text).toHaveLength(1000);
    expect((await registry.callTool('h__echo', { message: 'after' })).text).toBe('h: after');
  });

  it('over legacy SSE: a result event past maxMessageBytes fails RESULT_TOO_LARGE; the next call works', async () => {
    const sse = await startHttpFaultServer('sse', eventsFile, { transport: 'sse' });
    try {
      await using registry = await createRegistry({
        servers: { e: { url: sse.url, type: 'sse', maxMessageBytes: MB } },
        cache: 'none',
        logger: silentLogger,
      });
      const { failure } = await oversize(registry, 'e__huge_result', 3 * MB);
      expect(failure).toMatchObject({ code: 'RESULT_TOO_LARGE', server: 'e', tool: 'e__huge_result' });
      expect((await registry.callTool('e__huge_result', { bytes: 1000 })).text).toHaveLength(1000);
    } finally {
      await sse.stop();
    }
  });

  it('rejects a limit that is not a positive whole number of bytes (CONFIG_INVALID)', async () => {
    // A problem in one server's entry fails that server only…
    await using registry = await createRegistry({
      servers: { s: { ...stdioFaultServer('s', eventsFile), maxMessageBytes: -1 } },
      cache: 'none',
      logger: silentLogger,
    });
    expect(registry.servers()[0]).toMatchObject({
      status: 'failed',
      error: { code: 'CONFIG_INVALID', message: expect.stringMatching(/maxMessageBytes/) },
    });
    // …and rejects the configuration when asked to be strict.
    await expect(
      createRegistry({
        servers: { s: { ...stdioFaultServer('s', eventsFile), maxMessageBytes: -1 } },
        cache: 'none',
        logger: silentLogger,
        strictConfig: true,
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/maxMessageBytes/) });
  });
});
