#!/usr/bin/env node
// Example: a long-running tool as an MCP task (Tasks extension, SEP-2663). The publisher declares
// it with `defineTool({ task })`; a client that supports tasks gets a task id at once while the
// tool runs on. @toolwire/core waits for it like any call (with progress), hands out the task
// to resume it after a client restart, and cancels it on abort; a LangChain agent uses it like
// any tool. Self-checking: exits non-zero when a result is not what it should be.
import assert from 'node:assert/strict';
import { AIMessage } from '@langchain/core/messages';
import { createRegistry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { createPublisher, defineTool } from '@toolwire/publisher';
import { createAgent } from 'langchain';
import { z } from 'zod';

/** Waits `ms`, or rejects as soon as `signal` aborts (a cancelled task stops at once). */
const pause = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

let cancelledOnServer;
const serverSawCancel = new Promise((resolve) => {
  cancelledOnServer = resolve;
});

// 1. A tool that takes a while: it runs as a task, reports progress and can be cancelled.
const research = defineTool({
  name: 'deep_research',
  description: 'Researches a topic in several steps and writes a short report.',
  inputSchema: z.object({ topic: z.string(), steps: z.number().int().min(1).max(10) }),
  task: 'optional',
  async execute({ topic, steps }, context) {
    context.signal.addEventListener('abort', () => cancelledOnServer(context.signal.reason), { once: true });
    for (let step = 1; step <= steps; step++) {
      await context.reportProgress({ progress: step, total: steps, message: `step ${step} of ${steps}` });
      await pause(50, context.signal);
    }
    return `Report on ${topic}: ${steps} sources read.`;
  },
});

const publisher = createPublisher({
  name: 'research',
  version: '1.0.0',
  tools: [research],
  tasks: { pollIntervalMs: 50 }, // a task store in memory; Redis for fleets (@toolwire/publisher/redis)
  onError: () => {},
});
const { url } = await publisher.listen();
console.log(`published at ${url}`);

const openRegistry = () =>
  createRegistry({ servers: { research: { url, toolPrefix: false } }, cache: 'none', logger: silentLogger });
let registry = await openRegistry();
try {
  // 2. callTool waits for the task like for any call; progress arrives on the way.
  const progress = [];
  let taskRef;
  const report = await registry.callTool(
    'deep_research',
    { topic: 'tides', steps: 3 },
    { onTask: (ref) => (taskRef = ref), onProgress: (update) => progress.push(update.message) },
  );
  assert.equal(report.text, 'Report on tides: 3 sources read.');
  assert.equal(taskRef?.server, 'research');
  // Progress is read from the task at each poll: some steps may be skipped, never invented.
  assert.ok(
    progress.length > 0 && progress.every((message) => /^step \d of 3$/.test(message)),
    String(progress),
  );

  // 3. startTask hands out the task at once; after a "restart" (a new registry) the result is
  //    picked up by its reference.
  const started = await registry.startTask('deep_research', { topic: 'currents', steps: 4 });
  assert.ok('taskId' in started, 'the server answered with a task');
  const saved = JSON.stringify(started.ref); // what a process would persist
  await registry.close();
  registry = await openRegistry();
  const resumed = await registry.resumeTask(JSON.parse(saved));
  assert.equal((await resumed.result()).text, 'Report on currents: 4 sources read.');

  // 4. Aborting the wait cancels the task on the server: the tool's signal fires.
  const controller = new AbortController();
  const long = registry.callTool(
    'deep_research',
    { topic: 'waves', steps: 10 },
    { signal: controller.signal, onTask: () => controller.abort() },
  );
  await assert.rejects(long, { code: 'CANCELLED' });
  const reason = await serverSawCancel;
  assert.equal(reason.code, 'CANCELLED');

  // 5. A LangChain agent uses the task-backed tool like any other tool.
  const model = new ScriptedChatModel([
    toolCallTurn({ name: 'deep_research', args: { topic: 'estuaries', steps: 2 } }),
    new AIMessage('Here is your report.'),
  ]);
  const agent = createAgent({ model, tools: toLangChainTools(registry) });
  const state = await agent.invoke({ messages: [{ role: 'user', content: 'Research estuaries.' }] });
  const toolMessage = state.messages.find((message) => message.getType() === 'tool');
  assert.equal(toolMessage?.content, 'Report on estuaries: 2 sources read.');

  console.log('long-running-tools example: all checks passed');
} finally {
  await registry.close();
  await publisher.close({ drainMs: 1_000 });
}
