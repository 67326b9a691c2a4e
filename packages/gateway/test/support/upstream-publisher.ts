/**
 * An upstream MCP server for gateway tests: our own publisher on loopback (Streamable HTTP,
 * 2025 sessions), with tools that exercise what a gateway must carry: an output schema and
 * structured content, progress and log notifications, a call that waits to be cancelled, and
 * per-session state (`remember` / `recall`, and the resource `memo://note`) to tell one upstream
 * session from another; and a prompt (`greeting`).
 */
import {
  createPublisher,
  definePrompt,
  defineResource,
  defineTool,
  type ListeningPublisher,
} from '../../../publisher/src/index.js';

export interface UpstreamPublisher {
  url: string;
  /** Calls of `wait` whose signal was aborted (cancelled by the client). */
  cancelled: string[];
  /** Resolves when the next `wait` call has started. */
  waitStarted(): Promise<void>;
  close(): Promise<void>;
}

export const FORECAST_OUTPUT_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'number' } },
  required: ['city', 'celsius'],
  additionalProperties: false,
};

export async function startUpstreamPublisher(): Promise<UpstreamPublisher> {
  const cancelled: string[] = [];
  const memory = new Map<string, string>();
  let onWaitStarted: (() => void) | undefined;
  const publisher = createPublisher({
    name: 'upstream',
    version: '1.0.0',
    onError: () => {},
    prompts: [
      definePrompt({
        name: 'greeting',
        title: 'Greeting',
        description: 'Greets someone.',
        arguments: [{ name: 'who', description: 'Who to greet', required: true }],
        get: ({ who }) => ({
          description: 'A greeting',
          messages: [{ role: 'user', content: { type: 'text', text: `Say hello to ${who}.` } }],
        }),
      }),
    ],
    resources: [
      defineResource({
        uri: 'memo://note',
        name: 'note',
        description: 'The note of this MCP session.',
        mimeType: 'text/plain',
        read: (_uri, _variables, context) => memory.get(context.sessionId ?? 'none') ?? '(nothing)',
      }),
    ],
    tools: [
      defineTool({
        name: 'forecast',
        title: 'Forecast',
        description: 'The forecast for a city.',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string', minLength: 1, description: 'City name' } },
          required: ['city'],
          additionalProperties: false,
        },
        outputSchema: FORECAST_OUTPUT_SCHEMA,
        annotations: { readOnlyHint: true },
        execute: ({ city }) => {
          if (city === 'Atlantis') throw new Error('No forecast for Atlantis.');
          return { city: city as string, celsius: 21.5 };
        },
      }),
      defineTool({
        name: 'chatty',
        description: 'Logs and reports progress, then answers.',
        async execute(_args, context) {
          await context.log('info', { note: 'halfway' }, 'chatty');
          await context.reportProgress({ progress: 1, total: 2, message: 'half' });
          await context.reportProgress({ progress: 2, total: 2 });
          return 'chatty done';
        },
      }),
      defineTool({
        name: 'wait',
        description: 'Waits until cancelled.',
        async execute(_args, context) {
          onWaitStarted?.();
          await new Promise<void>((resolve) => {
            if (context.signal.aborted) resolve();
            context.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          cancelled.push(String(context.requestId));
          return 'cancelled';
        },
      }),
      defineTool({
        name: 'remember',
        description: 'Remembers a note in this MCP session.',
        inputSchema: { type: 'object', properties: { note: { type: 'string' } }, required: ['note'] },
        execute: ({ note }, context) => {
          memory.set(context.sessionId ?? 'none', note as string);
          return `remembered in ${context.sessionId}`;
        },
      }),
      defineTool({
        name: 'recall',
        description: 'Recalls the note of this MCP session.',
        execute: (_args, context) => memory.get(context.sessionId ?? 'none') ?? '(nothing)',
      }),
    ],
  });
  const listening: ListeningPublisher = await publisher.listen();
  return {
    url: listening.url,
    cancelled,
    waitStarted: () =>
      new Promise<void>((resolve) => {
        onWaitStarted = resolve;
      }),
    close: () => publisher.close({ drainMs: 100 }),
  };
}
