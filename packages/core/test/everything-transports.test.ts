/**
 * The reference server-everything (SDK v1, 2025-era) over each transport: stdio, Streamable
 * HTTP and legacy SSE on 127.0.0.1. Each transport gets one server and one registry, shared
 * by the tests of its block; every test calls a real tool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  type Registry,
  type ServerConfigInput,
  silentLogger,
  ToolwireError,
} from '../src/index.js';
import { everythingStdio, type ServerProcess, startEverythingHttp } from './support/index.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type TransportCase = {
  transport: 'stdio' | 'streamable-http' | 'sse';
  start(): Promise<{ config: ServerConfigInput; server?: ServerProcess }>;
};

const cases: TransportCase[] = [
  { transport: 'stdio', start: async () => ({ config: everythingStdio() }) },
  {
    transport: 'streamable-http',
    start: async () => {
      const server = await startEverythingHttp('streamableHttp');
      return { config: { type: 'streamable-http', url: server.url }, server };
    },
  },
  {
    transport: 'sse',
    start: async () => {
      const server = await startEverythingHttp('sse');
      return { config: { type: 'sse', url: server.url }, server };
    },
  },
];

describe.each(cases)('server-everything over $transport', ({ transport, start }) => {
  let registry: Registry;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    const started = await start();
    server = started.server;
    registry = await createRegistry({ servers: { everything: started.config }, logger: silentLogger });
  });

  afterAll(async () => {
    await registry?.close();
    await server?.stop();
  });

  it('connects and lists the real tools', () => {
    const info = registry.server('everything');
    expect(info?.status, info?.error?.message).toBe('active');
    expect(info?.connectedTransport).toBe(transport);
    const names = registry.tools().map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'everything__echo',
        'everything__get-tiny-image',
        'everything__get-structured-content',
        'everything__trigger-long-running-operation',
        'everything__gzip-file-as-resource',
      ]),
    );
    expect(registry.tool('everything__echo')).toMatchObject({ serverToolName: 'echo', status: 'active' });
  });

  it('returns text content', async () => {
    const result = await registry.callTool('everything__echo', { message: `hello over ${transport}` });
    expect(result.isError).toBe(false);
    expect(result.content).toEqual([{ type: 'text', text: `Echo: hello over ${transport}` }]);
    expect(result.text).toBe(`Echo: hello over ${transport}`);
    expect(result).toMatchObject({ tool: 'everything__echo', server: 'everything', serverToolName: 'echo' });
  });

  it('returns image content', async () => {
    const result = await registry.callTool('everything__get-tiny-image', {});
    const image = result.content.find((block) => block.type === 'image');
    expect(image).toMatchObject({ type: 'image', mimeType: 'image/png' });
    const bytes = Buffer.from((image as { data: string }).data, 'base64');
    expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
  });

  it('returns structured content matching the output schema', async () => {
    const tool = registry.tool('everything__get-structured-content');
    expect(tool?.outputSchema).toMatchObject({ type: 'object' });
    const result = await registry.callTool('everything__get-structured-content', { location: 'Chicago' });
    expect(result.structuredContent).toEqual({
      temperature: 36,
      conditions: 'Light rain / drizzle',
      humidity: 82,
    });
    expect(JSON.parse(result.text)).toEqual(result.structuredContent);
  });

  it('reports progress of a long-running operation', async () => {
    const progress: { progress: number; total?: number | undefined }[] = [];
    const result = await registry.callTool(
      'everything__trigger-long-running-operation',
      { duration: 0.4, steps: 4 },
      { onProgress: (update) => progress.push({ progress: update.progress, total: update.total }) },
    );
    expect(result.text).toContain('Long running operation completed');
    expect(progress).toEqual([1, 2, 3, 4].map((step) => ({ progress: step, total: 4 })));
  });

  it('returns a tool error as a result with isError, not an exception', async () => {
    const result = await registry.callTool('everything__gzip-file-as-resource', {
      name: 'x.gz',
      data: 'https://example.com/file.txt',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toContain('not in the allowed domains list');
    const stats = registry.tool('everything__gzip-file-as-resource')?.stats;
    expect(stats?.errors).toBe(1);
    expect(stats?.lastError).toMatchObject({ code: 'TOOL_ERROR' });
  });

  it('times out a call that runs too long, and stays usable', async () => {
    let progress = 0;
    const error = await registry
      .callTool(
        'everything__trigger-long-running-operation',
        { duration: 10, steps: 10 },
        { timeoutMs: 300, onProgress: () => progress++ },
      )
      .catch((caught: unknown) => caught);
    // Our deadline ended it (the operation itself would have answered after its 10 steps).
    expect(ToolwireError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TIMEOUT', server: 'everything' });
    expect((error as Error).message).toContain('300 ms');
    expect(progress).toBeLessThan(10);
    expect((await registry.callTool('everything__echo', { message: 'still here' })).text).toBe(
      'Echo: still here',
    );
  });

  it('cancels a call when its signal aborts, and stays usable', async () => {
    const controller = new AbortController();
    let progress = 0;
    const call = registry.callTool(
      'everything__trigger-long-running-operation',
      { duration: 10, steps: 20 },
      {
        signal: controller.signal,
        onProgress: () => {
          progress++;
          controller.abort();
        },
      },
    );
    const error = await call.catch((caught: unknown) => caught);
    // Ended by the abort after the first step, not by the operation finishing its 20.
    expect(error).toMatchObject({ code: 'CANCELLED', server: 'everything' });
    expect(progress).toBeLessThan(20);
    expect((await registry.callTool('everything__echo', { message: 'after cancel' })).text).toBe(
      'Echo: after cancel',
    );
  });
});
