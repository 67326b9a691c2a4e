/**
 * The scenarios every runtime runs, against a worker started by `start`:
 * - consume: the worker's registry (`@toolwire/core` inside the runtime) connects over Streamable
 *   HTTP to a publisher in this test process on 127.0.0.1, lists, calls, rejects invalid
 *   arguments before they reach the server, and a second registry starts warm from the memory cache;
 * - publish: the worker serves `publisher.fetch`, and the official SDK v2 client in this process
 *   connects to it on both protocol eras, lists, calls, and gets argument errors as `isError`.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '@toolwire/publisher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeReport } from '../worker/handler.js';
import type { RunningWorker } from './workerd.js';

export interface RuntimeUnderTest {
  /** How the runtime names itself in the worker's `runtime` tool. */
  expectedRuntime: RegExp;
  start(): Promise<RunningWorker>;
}

export function describeRuntimeScenarios(name: string, runtime: RuntimeUnderTest): void {
  describe(name, () => {
    let worker: RunningWorker;
    let publisher: Publisher;
    let listening: ListeningPublisher;
    let executions = 0;

    beforeAll(async () => {
      publisher = createPublisher({
        name: 'runtime-peer',
        version: '1.0.0',
        tools: [
          defineTool({
            name: 'add',
            description: 'Adds two numbers.',
            inputSchema: {
              type: 'object',
              properties: { a: { type: 'number' }, b: { type: 'number' } },
              required: ['a', 'b'],
              additionalProperties: false,
            },
            execute: ({ a, b }: { a: number; b: number }) => {
              executions++;
              return `${a + b}`;
            },
          }),
        ],
      });
      listening = await publisher.listen({ host: '127.0.0.1', port: 0 });
      worker = await runtime.start();
    });

    afterAll(async () => {
      await worker?.close();
      await publisher?.close();
    });

    it('runs the core registry inside the runtime: connect, list, call, validate, typed errors', async () => {
      const response = await fetch(`${worker.url}/consume?url=${encodeURIComponent(listening.url)}`);
      const body = (await response.json()) as ConsumeReport | { error: unknown };
      expect({ status: response.status, output: worker.output() }).toMatchObject({ status: 200 });
      const report = body as ConsumeReport;
      // Code generation is off in both runtimes: validation runs on the interpreted engine.
      expect(report.engine).toBe('interpreted');
      expect(report.tools).toEqual(['remote__add']);
      expect(report.sum).toBe('5');
      expect(report.invalid.code).toBe('INVALID_ARGUMENTS');
      expect(report.invalid.paths).toEqual(expect.arrayContaining(['a', 'c']));
      expect(report.invalid.message).toContain('remote__add');
      // Only the valid call reached the server.
      expect(executions).toBe(1);
      expect(report.unknownTool.code).toBe('TOOL_NOT_FOUND');
      expect(report.stdio.code).toBe('CONNECT_FAILED');
      expect(report.stdio.message).toContain('start processes');
      expect(report.loadConfig.code).toBe('CONFIG_INVALID');
      expect(report.loadConfig.message).toContain('no file system');
      expect(report.config.code).toBe('CONFIG_INVALID');
      expect(report.config.message).toContain('broken');
      expect(report.stats).toEqual({ calls: 2, errors: 1 });
      // The memory cache works in the runtime: a lazy registry lists from it without connecting.
      expect(report.warmStart).toEqual({ tools: ['remote__add'], status: 'discovered' });
    });

    for (const era of ['legacy', '2026-07-28'] as const) {
      it(`serves publisher.fetch from inside the runtime to the SDK v2 client (${era} era)`, async () => {
        const client = new Client(
          { name: 'runtime-test', version: '1.0.0' },
          { versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: era } } },
        );
        await client.connect(new StreamableHTTPClientTransport(new URL(`${worker.url}/mcp`)));
        try {
          const { tools } = await client.listTools();
          expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'runtime']);
          expect(tools.find((tool) => tool.name === 'add')?.inputSchema).toMatchObject({
            required: ['a', 'b'],
          });

          const sum = await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } });
          expect(sum.isError ?? false).toBe(false);
          expect(sum.content).toEqual([{ type: 'text', text: '42' }]);

          const where = await client.callTool({ name: 'runtime', arguments: {} });
          expect(where.content).toEqual([
            { type: 'text', text: expect.stringMatching(runtime.expectedRuntime) },
          ]);

          const invalid = await client.callTool({ name: 'add', arguments: { a: 'twenty' } });
          expect(invalid.isError).toBe(true);
          const text = (invalid.content as { type: string; text?: string }[])
            .map((block) => block.text)
            .join('\n');
          expect(text).toMatch(/\ba\b/);
          expect(text).toMatch(/\bb\b/);
        } finally {
          await client.close();
        }
      });
    }
  });
}
