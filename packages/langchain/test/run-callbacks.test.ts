/**
 * LangChain callbacks and tracing still see every tool run now that a run with no possible
 * handler skips LangChain's callback set-up: handlers from the run's config (a list or a
 * `CallbackManager`), the tool's own, `verbose`, a configure hook's context variable,
 * `streamEvents`. Over a real stdio MCP server. Tracing switched on in the environment:
 * langsmith-tracing.test.ts.
 */
import { BaseCallbackHandler, type CallbackHandlerMethods } from '@langchain/core/callbacks/base';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { awaitAllCallbacks } from '@langchain/core/callbacks/promises';
import { registerConfigureHook, setContextVariable } from '@langchain/core/context';
import { ToolMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { createRegistry, type Registry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ToolException, type ToolwireTool, toLangChainTool } from '../src/index.js';
import { adapterServer } from './support/servers.js';

let registry: Registry;
let tool: ToolwireTool;

beforeAll(async () => {
  registry = await createRegistry({ mcpServers: { fixture: adapterServer() } });
  tool = toLangChainTool(registry, 'fixture__structured_only');
}, 60_000);

afterAll(async () => {
  await registry?.close();
});

function toolCall(city: string) {
  return { type: 'tool_call' as const, id: `call_${city}`, name: 'fixture__structured_only', args: { city } };
}

interface Recorded {
  starts: { input: string; runName: string | undefined; toolCallId: string | undefined; runId: string }[];
  ends: { output: unknown; runId: string }[];
  errors: { error: unknown; runId: string }[];
}

/** Handler methods that record tool runs. */
function recorder(): { methods: CallbackHandlerMethods; recorded: Recorded } {
  const recorded: Recorded = { starts: [], ends: [], errors: [] };
  const methods: CallbackHandlerMethods = {
    handleToolStart: (_tool, input, runId, _parent, _tags, _metadata, runName, toolCallId) => {
      recorded.starts.push({ input, runName, toolCallId, runId });
    },
    handleToolEnd: (output, runId) => {
      recorded.ends.push({ output, runId });
    },
    handleToolError: (error, runId) => {
      recorded.errors.push({ error, runId });
    },
  };
  return { methods, recorded };
}

function expectOneRun(recorded: Recorded, city: string, message: unknown): void {
  expect(recorded.starts).toHaveLength(1);
  expect(recorded.starts[0]?.toolCallId).toBe(`call_${city}`);
  expect(recorded.starts[0]?.runName).toBe('fixture__structured_only');
  expect(JSON.parse(recorded.starts[0]?.input ?? 'null')).toEqual({ city });
  expect(recorded.ends).toEqual([{ output: message, runId: recorded.starts[0]?.runId }]);
}

describe('tool runs without callbacks', () => {
  it('answers with the ToolMessage', async () => {
    const message: ToolMessage = await tool.invoke(toolCall('Oslo'));
    expect(message).toBeInstanceOf(ToolMessage);
    expect(message.tool_call_id).toBe('call_Oslo');
    expect(message.status).toBe('success');
    expect(JSON.parse(String(message.content))).toMatchObject({ city: 'Oslo' });
  });

  it('asks the server for progress and log messages only when someone listens', async () => {
    const requestMeta = async (
      options: Parameters<typeof toLangChainTool>[2],
      callbacks: CallbackHandlerMethods[] = [],
    ) => {
      const metaTool = toLangChainTool(registry, 'fixture__request_meta', options);
      const message: ToolMessage = await metaTool.invoke(
        { type: 'tool_call', id: 'call_meta', name: 'fixture__request_meta', args: {} },
        { callbacks },
      );
      return JSON.parse(String(message.content)) as Record<string, unknown>;
    };
    const unheard = await requestMeta({});
    expect(unheard).not.toHaveProperty('progressToken');
    expect(Object.keys(unheard).filter((key) => /log/i.test(key))).toEqual([]);
    expect(await requestMeta({ onProgress: () => {} })).toHaveProperty('progressToken');
    expect(await requestMeta({}, [recorder().methods])).toHaveProperty('progressToken');
  });

  it('accepts a CallbackManager without handlers (what LangGraph passes when nothing listens)', async () => {
    const message: ToolMessage = await tool.invoke(toolCall('Lima'), { callbacks: new CallbackManager() });
    expect(message.tool_call_id).toBe('call_Lima');
  });
});

describe('tool runs with callbacks', () => {
  it('reports start and end to handlers passed in the run config', async () => {
    const { methods, recorded } = recorder();
    const message = await tool.invoke(toolCall('Bergen'), { callbacks: [methods] });
    await awaitAllCallbacks();
    expectOneRun(recorded, 'Bergen', message);
  });

  it('reports to a CallbackManager passed in the run config', async () => {
    const { methods, recorded } = recorder();
    const manager = CallbackManager.fromHandlers(methods);
    const message = await tool.invoke(toolCall('Tromsø'), { callbacks: manager });
    await awaitAllCallbacks();
    expectOneRun(recorded, 'Tromsø', message);
  });

  it("reports to the tool's own callbacks", async () => {
    const { methods, recorded } = recorder();
    const ownTool = toLangChainTool(registry, 'fixture__structured_only');
    ownTool.callbacks = [methods];
    const message = await ownTool.invoke(toolCall('Bodø'));
    await awaitAllCallbacks();
    expectOneRun(recorded, 'Bodø', message);
  });

  it('logs the run to the console when the tool is verbose', async () => {
    const verboseTool = toLangChainTool(registry, 'fixture__structured_only');
    verboseTool.verbose = true;
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    try {
      await verboseTool.invoke(toolCall('Kiruna'));
      await awaitAllCallbacks();
    } finally {
      log.mockRestore();
    }
    expect(
      lines.some((line) => line.includes('[tool/start]') && line.includes('fixture__structured_only')),
    ).toBe(true);
    expect(lines.some((line) => line.includes('[tool/end]'))).toBe(true);
  });

  it('reports a failed run to handleToolError', async () => {
    const { methods, recorded } = recorder();
    const failing = toLangChainTool(registry, 'fixture__fail', { toolErrors: 'throw' });
    const failure = await failing
      .invoke(
        { type: 'tool_call', id: 'call_fail', name: 'fixture__fail', args: { reason: 'no luck' } },
        {
          callbacks: [methods],
        },
      )
      .catch((error: unknown) => error);
    await awaitAllCallbacks();
    expect(ToolException.isInstance(failure)).toBe(true);
    expect(recorded.starts).toHaveLength(1);
    expect(recorded.ends).toEqual([]);
    expect(recorded.errors).toEqual([{ error: failure, runId: recorded.starts[0]?.runId }]);
  });

  it("reports to a configure hook's handler held in a context variable", async () => {
    const { methods, recorded } = recorder();
    const handler = BaseCallbackHandler.fromMethods(methods);
    // Inside a runnable, so the hook and the variable stay in that run's async context.
    const message = await RunnableLambda.from(async () => {
      registerConfigureHook({ contextVar: 'toolwire_test_handler' });
      setContextVariable('toolwire_test_handler', handler);
      return tool.invoke(toolCall('Alta'));
    }).invoke({});
    await awaitAllCallbacks();
    expect(recorded.starts.map((start) => start.toolCallId)).toEqual(['call_Alta']);
    expect(recorded.ends.map((end) => end.output)).toEqual([message]);
  });

  it('streams the run as events (streamEvents)', async () => {
    const names: string[] = [];
    for await (const event of tool.streamEvents(toolCall('Narvik'), { version: 'v2' })) {
      names.push(event.event);
    }
    expect(names).toEqual(['on_tool_start', 'on_tool_end']);
  });
});
