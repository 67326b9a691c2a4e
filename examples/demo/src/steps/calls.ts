/** One real call per server through the registry, each result checked. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ToolCallResult } from '@toolwire/core';
import type { DemoContext, DemoStep } from '../demo-context.ts';
import { milliseconds, summary } from '../format.ts';

interface DemoCall {
  tool: string;
  args: (context: DemoContext) => Promise<Record<string, unknown>>;
  expect: (result: ToolCallResult) => boolean;
  expectation: string;
}

const calls: DemoCall[] = [
  {
    tool: 'everything__echo',
    args: async () => ({ message: 'hello from toolwire' }),
    expect: (result) => result.text === 'Echo: hello from toolwire',
    expectation: 'echoes the message',
  },
  {
    tool: 'memory__create_entities',
    args: async () => ({
      entities: [
        { name: 'toolwire', entityType: 'project', observations: ['connects agents to MCP servers'] },
      ],
    }),
    expect: (result) =>
      (result.structuredContent?.entities as { name?: string }[] | undefined)?.[0]?.name === 'toolwire',
    expectation: 'returns the created entity as structured content',
  },
  {
    tool: 'filesystem__read_text_file',
    args: async ({ workDir }) => {
      const path = join(workDir, 'hello.txt');
      await writeFile(path, 'written by the toolwire demo\n');
      return { path };
    },
    expect: (result) => result.text === 'written by the toolwire demo\n',
    expectation: 'reads back the file the demo wrote',
  },
];

export const callsStep: DemoStep = {
  title: 'One call per server',
  async run(context) {
    const { registry, print, check } = context;
    for (const call of calls) {
      try {
        const result = await registry.callTool(call.tool, await call.args(context));
        const ok = check(
          !result.isError && call.expect(result),
          `${call.tool} ${call.expectation}; got: ${result.text}`,
        );
        print(
          `  ${ok ? '✓' : '✗'} ${call.tool} → ${summary(JSON.stringify(result.text.replace(/\s+/g, ' ')), 60)} (${milliseconds(result.durationMs)})`,
        );
      } catch (error) {
        check(false, `${call.tool} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const stats = registry.stats();
    print();
    print(
      `Stats: ${stats.calls} calls, ${stats.errors} errors, p50 ${milliseconds(stats.latency.p50Ms)}, servers ${Object.entries(
        stats.serversByStatus,
      )
        .filter(([, count]) => count > 0)
        .map(([status, count]) => `${count} ${status}`)
        .join(', ')}`,
    );
    // The isolation step called a server too: these calls come on top, and none failed.
    check(
      stats.calls >= calls.length && stats.errors === 0,
      `expected at least ${calls.length} calls without errors (${stats.calls} calls, ${stats.errors} errors)`,
    );
  },
};
