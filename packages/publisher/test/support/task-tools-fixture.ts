/**
 * A publisher on loopback with two task tools (`defineTool({ task: 'required' })`, 2026-07-28) and a
 * registry connected to it, for the adapters' task tests: `build_report` reports progress and ends
 * with a result; `never_ends` runs until its signal fires. `created` resolves once the client holds
 * the `never_ends` task (from then on aborting can cancel it), `aborted` with the tool signal's reason.
 */
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../../src/index.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

export interface TaskToolsFixture {
  registry: Registry;
  started: Promise<void>;
  created: Promise<void>;
  aborted: Promise<unknown>;
  close(): Promise<void>;
}

export async function startTaskToolsFixture(): Promise<TaskToolsFixture> {
  const started = deferred();
  const created = deferred();
  const aborted = deferred<unknown>();
  const publisher: Publisher = createPublisher({
    name: 'long-running',
    version: '1.0.0',
    tasks: { pollIntervalMs: 20 },
    tools: [
      defineTool({
        name: 'build_report',
        description: 'Builds a report; takes a while.',
        inputSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
        task: 'required',
        async execute({ topic }, context) {
          await context.reportProgress({ progress: 1, total: 2, message: 'collecting sources' });
          return `report on ${String(topic)}`;
        },
      }),
      defineTool({
        name: 'never_ends',
        description: 'Runs until cancelled.',
        task: 'required',
        async execute(_args, context) {
          started.resolve();
          await new Promise((_resolve, reject) => {
            const stop = () => {
              aborted.resolve(context.signal.reason);
              reject(context.signal.reason);
            };
            if (context.signal.aborted) stop();
            else context.signal.addEventListener('abort', stop, { once: true });
          });
        },
      }),
    ],
    onError: () => {},
  });
  const listening: ListeningPublisher = await publisher.listen();
  const registry = await createRegistry({
    servers: { reports: { url: listening.url } },
    cache: 'none',
    logger: silentLogger,
  });
  registry.on('task:update', (event) => {
    if (event.tool?.endsWith('never_ends')) created.resolve();
  });
  return {
    registry,
    started: started.promise,
    created: created.promise,
    aborted: aborted.promise,
    async close() {
      await registry.close();
      await publisher.close({ drainMs: 1_000 });
    },
  };
}
