/**
 * A small upstream for the operations tests: our publisher on loopback HTTP with `whoami` (says
 * which upstream answered) and `hold` (runs until the test releases it), to tell upstreams apart
 * across a reload and to keep a call in flight while the gateway changes under it.
 */
import { createPublisher, defineTool } from '../../../publisher/src/index.js';

export interface GatedUpstream {
  url: string;
  /** Resolves once a `hold` call is running. */
  holding(): Promise<void>;
  /** Lets every running `hold` call finish. */
  release(): void;
  close(): Promise<void>;
}

export async function startGatedUpstream(label: string): Promise<GatedUpstream> {
  let started: () => void = () => {};
  let startedPromise = new Promise<void>((resolve) => {
    started = resolve;
  });
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const publisher = createPublisher({
    name: `upstream-${label}`,
    version: '1.0.0',
    onError: () => {},
    tools: [
      defineTool({
        name: 'whoami',
        description: `Says which upstream answered (${label}).`,
        execute: () => label,
      }),
      defineTool({
        name: 'hold',
        description: 'Runs until the test releases it.',
        async execute() {
          started();
          await released;
          return `released by ${label}`;
        },
      }),
    ],
  });
  const listening = await publisher.listen();
  return {
    url: listening.url,
    holding: () => startedPromise,
    release: () => {
      release();
      startedPromise = Promise.resolve();
    },
    close: () => publisher.close({ drainMs: 100 }),
  };
}
