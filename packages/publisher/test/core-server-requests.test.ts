/**
 * @toolwire/core as the client of a publisher whose tools ask (elicit, sample) and log, on both
 * protocol eras: 2025 server-to-client requests and 2026-07-28 input rounds are answered through
 * the same handlers, the most specific winning (call, conversation, registry); log messages
 * arrive as `server:log` events, filtered by level, redacted and bounded.
 */
import { createRegistry, type Registry, type ServerLogEvent, silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createPublisher,
  definePrompt,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../src/index.js';

const SECRET = 'tw-secret-4b1f9c2e7d';
const nameForm = {
  message: 'Your name?',
  requestedSchema: { type: 'object' as const, properties: { name: { type: 'string' as const } } },
};
const textOf = (content: unknown): string =>
  (Array.isArray(content) ? content[0] : content)?.text ?? '(no text)';

let publisher: Publisher;
let listening: ListeningPublisher;

beforeAll(async () => {
  publisher = createPublisher({
    name: 'talks-back',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'greet',
        description: 'Asks the user for a name and the model for a greeting; logs as it goes.',
        inputSchema: { type: 'object', properties: { tag: { type: 'string' } } },
        async execute(args, context) {
          const tag = String((args as { tag?: unknown }).tag ?? '');
          await context.log('debug', `debug ${tag}`, 'greeter');
          await context.log('info', { step: 'asking', tag }, 'greeter');
          const name = await context.elicit({ ...nameForm, message: `Your name? (${tag})` }, { key: 'name' });
          const greeting = await context.sample(
            {
              messages: [{ role: 'user', content: { type: 'text', text: `Greet ${tag}` } }],
              maxTokens: 20,
            },
            { key: 'greeting' },
          );
          return `${String(name.content?.name)} / ${textOf(greeting.content)}`;
        },
      }),
      defineTool({
        name: 'leaky_log',
        description: 'Logs a secret and a very large message.',
        async execute(_args, context) {
          await context.log('warning', `the key is ${SECRET}`, `logger-${SECRET}`);
          await context.log('error', { blob: 'x'.repeat(100_000), key: SECRET });
          return 'logged';
        },
      }),
      defineTool({
        name: 'confirm_order',
        description: 'Asks for confirmation; answers with structured content.',
        outputSchema: {
          type: 'object',
          properties: { confirmed: { type: 'boolean' }, by: { type: 'string' } },
          required: ['confirmed', 'by'],
        },
        async execute(_args, context) {
          const answer = await context.elicit(nameForm, { key: 'name' });
          return { confirmed: answer.action === 'accept', by: String(answer.content?.name) };
        },
      }),
    ],
    prompts: [
      definePrompt({
        name: 'briefing',
        description: 'Asks what the briefing is about.',
        async get(_args, context) {
          const topic = await context.elicit(
            {
              message: 'Topic?',
              requestedSchema: { type: 'object', properties: { topic: { type: 'string' } } },
            },
            { key: 'topic' },
          );
          return `Brief on ${String(topic.content?.topic)}`;
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});

afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
});

/** A handler set that answers with `who`, recording what it was asked. */
function handlers(who: string, asked: string[] = []) {
  return {
    onElicitation: async (request: { message: string }) => {
      asked.push(`${who}:${request.message}`);
      return { action: 'accept' as const, content: { name: who } };
    },
    onSampling: async () => {
      asked.push(`${who}:sample`);
      return {
        role: 'assistant' as const,
        content: { type: 'text' as const, text: `hi from ${who}` },
        model: who,
      };
    },
  };
}

for (const protocol of ['legacy', '2026-07-28'] as const) {
  describe(`${protocol}`, () => {
    let registry: Registry;
    const logs: ServerLogEvent[] = [];

    beforeAll(async () => {
      registry = await createRegistry({
        servers: {
          pub: { url: listening.url, protocol, toolPrefix: false, headers: { 'X-Api-Key': SECRET } },
        },
        cache: 'none',
        logger: silentLogger,
        serverLogLevel: 'info',
        ...handlers('registry'),
      });
      registry.on('server:log', (event) => logs.push(event));
    });
    afterAll(async () => {
      await registry?.close();
    });

    it('the registry handlers answer elicitation and sampling', async () => {
      const result = await registry.callTool('greet', { tag: 'a' });
      expect(result.text).toBe('registry / hi from registry');
    });

    it('log messages arrive as server:log events at or above the minimum level', async () => {
      const before = logs.length;
      await registry.callTool('greet', { tag: 'logs' });
      const mine = logs.slice(before);
      const info = {
        server: 'pub',
        sessionKey: undefined,
        tool: 'greet',
        callId: expect.any(Number),
        level: 'info',
        logger: 'greeter',
        data: { step: 'asking', tag: 'logs' },
        truncated: false,
      };
      // On 2026-07-28 the tool runs once per input round (name, greeting, done): it logs each time.
      expect(mine).toEqual(protocol === 'legacy' ? [info] : [info, info, info]);
    });

    it("a call's onLog receives the messages sent during it", async () => {
      const mine: ServerLogEvent[] = [];
      await registry.callTool('greet', { tag: 'own' }, { onLog: (event) => mine.push(event) });
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((event) => event.tool === 'greet' && event.level === 'info')).toBe(true);
    });

    it('log messages are redacted and bounded', async () => {
      const before = logs.length;
      await registry.callTool('leaky_log', {});
      const [warning, large] = logs.slice(before);
      expect(warning).toMatchObject({
        level: 'warning',
        data: 'the key is [redacted]',
        logger: 'logger-[redacted]',
      });
      expect(large?.level).toBe('error');
      expect(large?.truncated).toBe(true);
      expect(typeof large?.data).toBe('string');
      expect(String(large?.data).length).toBeLessThanOrEqual(16_000);
      expect(JSON.stringify(logs)).not.toContain(SECRET);
    });

    it('a call handler wins over the conversation, which wins over the registry', async () => {
      const clear = registry.setSessionHandlers('thread-1', handlers('conversation'));
      try {
        expect((await registry.callTool('greet', { tag: 'b' }, { sessionKey: 'thread-1' })).text).toBe(
          'conversation / hi from conversation',
        );
        expect((await registry.callTool('greet', { tag: 'c' }, { sessionKey: 'thread-2' })).text).toBe(
          'registry / hi from registry',
        );
        const asked: string[] = [];
        const byCall = await registry.callTool(
          'greet',
          { tag: 'd' },
          { sessionKey: 'thread-1', onSampling: handlers('call', asked).onSampling },
        );
        // Sampling from the call, elicitation still from the conversation.
        expect(byCall.text).toBe('conversation / hi from call');
        expect(asked).toEqual(['call:sample']);
      } finally {
        clear();
      }
    });

    it('a call handler still waiting when the call is aborted is aborted too; the call is CANCELLED', async () => {
      const controller = new AbortController();
      let handlerSignal: AbortSignal | undefined;
      const call = registry.callTool(
        'greet',
        { tag: 'abort' },
        {
          signal: controller.signal,
          onElicitation: (_request, context) => {
            handlerSignal = context.signal;
            controller.abort();
            return new Promise(() => {});
          },
        },
      );
      await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
      await vi.waitFor(() => expect(handlerSignal?.aborted).toBe(true));
    });

    it('a prompt’s question goes to the conversation’s handlers', async () => {
      const clear = registry.setSessionHandlers('thread-p', {
        onElicitation: async () => ({ action: 'accept', content: { topic: 'tides' } }),
      });
      try {
        const prompt = await registry.getPrompt('pub__briefing', {}, { sessionKey: 'thread-p' });
        expect(prompt.messages).toEqual([
          { role: 'user', content: { type: 'text', text: 'Brief on tides' } },
        ]);
      } finally {
        clear();
      }
    });

    it('a prompt’s own handler wins over its conversation’s', async () => {
      const clear = registry.setSessionHandlers('thread-p', {
        onElicitation: async () => ({ action: 'accept', content: { topic: 'tides' } }),
      });
      try {
        const prompt = await registry.getPrompt(
          'pub__briefing',
          {},
          {
            sessionKey: 'thread-p',
            onElicitation: async () => ({ action: 'accept', content: { topic: 'currents' } }),
          },
        );
        expect(prompt.messages).toEqual([
          { role: 'user', content: { type: 'text', text: 'Brief on currents' } },
        ]);
      } finally {
        clear();
      }
    });

    it('structured content of a tool that asked is still checked against its output schema', async () => {
      const result = await registry.callTool(
        'confirm_order',
        {},
        { onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }) },
      );
      expect(result.structuredContent).toEqual({ confirmed: true, by: 'Ada' });
    });

    if (protocol === '2026-07-28') {
      it('concurrent calls on one shared connection are each answered by their own handlers', async () => {
        const tags = ['p', 'q', 'r', 's'];
        const asked = tags.map(() => [] as string[]);
        const results = await Promise.all(
          tags.map((tag, index) =>
            registry.callTool('greet', { tag }, { ...handlers(`caller-${tag}`, asked[index]) }),
          ),
        );
        expect(results.map((result) => result.text)).toEqual(
          tags.map((tag) => `caller-${tag} / hi from caller-${tag}`),
        );
        expect(asked).toEqual(
          tags.map((tag) => [`caller-${tag}:Your name? (${tag})`, `caller-${tag}:sample`]),
        );
        expect(registry.server('pub')?.connections).toBe(1);
      });

      it('a failing call handler fails the call with a typed error', async () => {
        await expect(
          registry.callTool(
            'greet',
            { tag: 'e' },
            {
              onElicitation: async () => {
                throw new Error('the user closed the window');
              },
            },
          ),
        ).rejects.toMatchObject({ code: 'HANDLER_FAILED', server: 'pub', tool: 'greet' });
      });
    } else {
      it('a failing call handler: the server is told, the call ends with the tool error', async () => {
        const result = await registry.callTool(
          'greet',
          { tag: 'e' },
          {
            onElicitation: async () => {
              throw new Error('the user closed the window');
            },
          },
        );
        expect(result.isError).toBe(true);
        expect(result.text).not.toContain('closed the window');
      });
    }
  });
}
