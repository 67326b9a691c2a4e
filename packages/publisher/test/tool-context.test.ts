/**
 * The tool context on both protocol eras, with the official SDK v2 client: progress, logging,
 * cancellation, session id, elicitation and sampling. On the 2025 era elicitation and sampling
 * are requests to the client mid-call; on 2026-07-28 they are input_required rounds that the
 * client answers and retries (the SDK client does this by itself).
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';

let publisher: Publisher;
let listening: ListeningPublisher;
const cancelled: string[] = [];
let executions = 0;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'context',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'steps',
        description: 'Reports progress and logs.',
        inputSchema: z.object({ count: z.number().int().min(1) }),
        async execute({ count }, context) {
          for (let step = 1; step <= count; step++) {
            await context.reportProgress({ progress: step, total: count, message: `step ${step}` });
            await context.log('info', { step });
          }
          return `era=${context.era} session=${context.sessionId ?? 'none'}`;
        },
      }),
      defineTool({
        name: 'interview',
        description: 'Asks the user, then the model.',
        async execute(_args, context) {
          executions++;
          const answer = await context.elicit({
            message: 'Your name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          });
          const completion = await context.sample({
            messages: [
              { role: 'user', content: { type: 'text', text: `Greet ${String(answer.content?.name)}` } },
            ],
            maxTokens: 20,
          });
          const text = (completion.content as { text?: string }).text;
          return `${answer.action}:${String(answer.content?.name)} / ${text}`;
        },
      }),
      defineTool({
        name: 'roots',
        description: 'Lists the client roots.',
        async execute(_args, context) {
          const roots = await context.listRoots();
          return roots.map((root) => root.uri).join(',');
        },
      }),
      defineTool({
        name: 'capabilities',
        description: 'Reports what the client can do.',
        execute: (_args, context) => `elicit=${context.canElicit} sample=${context.canSample}`,
      }),
      defineTool({
        name: 'wait_for_cancel',
        description: 'Waits until cancelled.',
        execute: (_args, context) =>
          new Promise((resolve) => {
            context.signal.addEventListener('abort', () => {
              cancelled.push(context.era);
              resolve('cancelled');
            });
          }),
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

async function connect(mode: 'legacy' | '2026-07-28', capabilities = true): Promise<Client> {
  const client = new Client(
    { name: 'context-test', version: '1.0.0' },
    {
      capabilities: capabilities ? { elicitation: { form: {} }, sampling: {}, roots: {} } : {},
      versionNegotiation: { mode: mode === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  if (capabilities) {
    client.setRequestHandler('elicitation/create', async () => ({
      action: 'accept',
      content: { name: 'Ada' },
    }));
    client.setRequestHandler('sampling/createMessage', async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'Hello Ada!' },
      model: 'scripted',
    }));
    client.setRequestHandler('roots/list', async () => ({
      roots: [{ uri: 'file:///work', name: 'work' }, { uri: 'file:///data' }],
    }));
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
  return client;
}

for (const era of ['legacy', '2026-07-28'] as const) {
  describe(`on the ${era} era`, () => {
    it('reports progress and logs to the client', async () => {
      const client = await connect(era);
      const logs: unknown[] = [];
      client.setNotificationHandler('notifications/message', (notification) => {
        logs.push(notification.params.data);
      });
      const progress: number[] = [];
      const result = await client.callTool(
        { name: 'steps', arguments: { count: 3 } },
        { onprogress: (update) => progress.push(update.progress) },
      );
      expect(progress).toEqual([1, 2, 3]);
      const text = (result.content as { text: string }[])[0]!.text;
      if (era === 'legacy') {
        expect(text).toMatch(/^era=legacy session=[0-9a-f-]{36}$/);
        expect(logs).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
      } else {
        expect(text).toBe('era=modern session=none');
      }
      await client.close();
    });

    it('elicits from the user and samples the client model', async () => {
      const client = await connect(era);
      const before = executions;
      const result = await client.callTool({ name: 'interview', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'accept:Ada / Hello Ada!' }]);
      // 2026-07-28 re-runs the tool once per answered round (two questions → three runs).
      expect(executions - before).toBe(era === 'legacy' ? 1 : 3);
      await client.close();
    });

    it('lists the client roots', async () => {
      const client = await connect(era);
      const result = await client.callTool({ name: 'roots', arguments: {} });
      expect(result.content).toEqual([{ type: 'text', text: 'file:///work,file:///data' }]);
      await client.close();
    });

    it('tells the tool what the client supports, and refuses elicitation it does not', async () => {
      const client = await connect(era, false);
      const capabilities = await client.callTool({ name: 'capabilities', arguments: {} });
      expect(capabilities.content).toEqual([{ type: 'text', text: 'elicit=false sample=false' }]);
      if (era === 'legacy') {
        const refused = await client.callTool({ name: 'interview', arguments: {} });
        expect(refused.isError).toBe(true);
        expect(refused.content).toEqual([
          { type: 'text', text: 'The client did not declare the elicitation capability.' },
        ]);
      } else {
        // 2026-07-28: MissingRequiredClientCapabilityError, error -32021.
        const error = await client
          .callTool({ name: 'interview', arguments: {} })
          .catch((caught: unknown) => caught);
        expect((error as { code?: number }).code).toBe(-32021);
      }
      await client.close();
    });

    it('aborts the tool signal when the client cancels', async () => {
      const client = await connect(era);
      const controller = new AbortController();
      const call = client.callTool({ name: 'wait_for_cancel', arguments: {} }, { signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seen = cancelled.length;
      controller.abort();
      await expect(call).rejects.toThrow();
      await expect.poll(() => cancelled.length, { timeout: 5_000 }).toBe(seen + 1);
      expect(cancelled.at(-1)).toBe(era === 'legacy' ? 'legacy' : 'modern');
      await client.close();
    });
  });
}
