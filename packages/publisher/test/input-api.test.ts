/**
 * Several questions at once (`context.input`) and the input API in prompts, on both protocol
 * eras, with the official SDK v2 client and with @toolwire/core as clients: on the 2025 era the
 * requests reach the client together (its handlers are in flight at the same time); on
 * 2026-07-28 they travel in one `input_required` round (the tool runs twice, not once per
 * question), under the keys the tool gave.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createRegistry, silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ask,
  createPublisher,
  definePrompt,
  defineTool,
  type ListeningPublisher,
  type Publisher,
} from '../src/index.js';
import { modernCall, modernRequest } from './support/modern-mcp.js';

const nameForm = {
  message: 'Your name?',
  requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
};
const textOf = (content: unknown): string =>
  (Array.isArray(content) ? content[0] : content)?.text ?? '(no text)';

let publisher: Publisher;
let listening: ListeningPublisher;
const runs = { several: 0, twoForms: 0, briefing: 0 };

beforeAll(async () => {
  publisher = createPublisher({
    name: 'input-api',
    version: '1.0.0',
    tools: [
      defineTool({
        name: 'several',
        description: 'Asks the user, the model and for the roots, all at once.',
        async execute(_args, context) {
          runs.several++;
          const { user_name, greeting, client_roots } = await context.input({
            user_name: ask.elicit(nameForm),
            greeting: ask.sample({
              messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
              maxTokens: 20,
            }),
            client_roots: ask.listRoots(),
          });
          return `${String(user_name.content?.name)} / ${textOf(greeting.content)} / ${client_roots
            .map((root) => root.uri)
            .join(',')}`;
        },
      }),
      defineTool({
        name: 'two_forms',
        description: 'Two forms at once (what @toolwire/core answers: elicitation only).',
        async execute(_args, context) {
          runs.twoForms++;
          const answers = await context.input({
            first: ask.elicit({ ...nameForm, message: 'First name?' }),
            last: ask.elicit({ ...nameForm, message: 'Last name?' }),
          });
          return `${String(answers.first.content?.name)} ${String(answers.last.content?.name)}`;
        },
      }),
      defineTool({
        name: 'swallows',
        description: 'Catches what elicit throws and carries on.',
        async execute(_args, context) {
          try {
            const answer = await context.elicit(nameForm, { key: 'name' });
            return `hello ${String(answer.content?.name)}`;
          } catch {
            return 'gave up';
          }
        },
      }),
      defineTool({
        name: 'form_and_roots',
        description: 'Needs elicitation and roots.',
        async execute(_args, context) {
          await context.input({ user_name: ask.elicit(nameForm), roots: ask.listRoots() });
          return 'asked';
        },
      }),
    ],
    prompts: [
      definePrompt({
        name: 'briefing',
        description: 'A briefing for the user, who says what it is about.',
        arguments: [{ name: 'team', required: true }],
        async get({ team }, context) {
          runs.briefing++;
          const topic = await context.elicit(
            {
              message: 'What should the briefing cover?',
              requestedSchema: { type: 'object', properties: { topic: { type: 'string' } } },
            },
            { key: 'topic' },
          );
          return `Brief the ${team} team on ${String(topic.content?.topic)} (${context.era}).`;
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

/** An SDK v2 client answering every kind of question; records what it was asked, and when. */
async function connect(era: 'legacy' | '2026-07-28', options: { barrier?: boolean; roots?: boolean } = {}) {
  const asked: string[] = [];
  const inFlight = new Set<string>();
  let concurrent = 0;
  // On the 2025 era each handler waits (bounded) until all three requests have arrived: sent one
  // after the other, the first would wait for an answer that never comes, and the call fails.
  let release: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => {
    release = resolve;
  });
  const arrive = async (what: string) => {
    asked.push(what);
    inFlight.add(what);
    concurrent = Math.max(concurrent, inFlight.size);
    if (options.barrier) {
      if (inFlight.size === 3) release();
      await Promise.race([
        allArrived,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: alone after 10 s`)), 10_000)),
      ]);
    }
  };
  const client = new Client(
    { name: 'input-api-test', version: '1.0.0' },
    {
      capabilities: {
        elicitation: { form: {} },
        sampling: {},
        ...(options.roots === false ? {} : { roots: {} }),
      },
      versionNegotiation: { mode: era === 'legacy' ? 'legacy' : { pin: '2026-07-28' } },
    },
  );
  client.setRequestHandler('elicitation/create', async (request) => {
    await arrive(`elicit:${request.params.message}`);
    inFlight.delete(`elicit:${request.params.message}`);
    const topic = request.params.message.startsWith('What should');
    return { action: 'accept', content: topic ? { topic: 'the launch' } : { name: 'Ada' } };
  });
  client.setRequestHandler('sampling/createMessage', async () => {
    await arrive('sample');
    inFlight.delete('sample');
    return { role: 'assistant', content: { type: 'text', text: 'Hello!' }, model: 'scripted' };
  });
  if (options.roots !== false) {
    client.setRequestHandler('roots/list', async () => {
      await arrive('roots');
      inFlight.delete('roots');
      return { roots: [{ uri: 'file:///work', name: 'work' }] };
    });
  }
  await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
  return { client, asked, concurrent: () => concurrent };
}

describe('several questions at once', () => {
  it('2025 era: the three requests reach the client together', async () => {
    const { client, asked, concurrent } = await connect('legacy', { barrier: true });
    const before = runs.several;
    const result = await client.callTool({ name: 'several', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'Ada / Hello! / file:///work' }]);
    expect(asked.sort()).toEqual(['elicit:Your name?', 'roots', 'sample']);
    expect(concurrent()).toBe(3);
    expect(runs.several - before).toBe(1);
    await client.close();
  });

  it('2026-07-28: one input_required round carries the three requests, under the keys the tool gave', async () => {
    const first = await modernCall(listening.url, 'several', {});
    expect(first.body.result?.resultType).toBe('input_required');
    const requests = first.body.result?.inputRequests ?? {};
    expect(Object.keys(requests).sort()).toEqual(['client_roots', 'greeting', 'user_name']);
    expect(requests.user_name?.method).toBe('elicitation/create');
    expect(requests.greeting?.method).toBe('sampling/createMessage');
    expect(requests.client_roots?.method).toBe('roots/list');
    expect(typeof first.body.result?.requestState).toBe('string');
  });

  it('2026-07-28: the SDK client answers the round and the tool finishes on its second run', async () => {
    const { client, asked } = await connect('2026-07-28');
    const before = runs.several;
    const result = await client.callTool({ name: 'several', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'Ada / Hello! / file:///work' }]);
    expect(asked.sort()).toEqual(['elicit:Your name?', 'roots', 'sample']);
    expect(runs.several - before).toBe(2);
    await client.close();
  });

  it('2026-07-28: answers missing from the retry are asked again, the ones given are kept', async () => {
    const first = await modernCall(listening.url, 'several', {});
    const state = first.body.result?.requestState as string;
    const partial = await modernCall(
      listening.url,
      'several',
      {},
      {
        inputResponses: { user_name: { action: 'accept', content: { name: 'Grace' } } },
        requestState: state,
      },
    );
    expect(partial.body.result?.resultType).toBe('input_required');
    expect(Object.keys(partial.body.result?.inputRequests ?? {}).sort()).toEqual([
      'client_roots',
      'greeting',
    ]);
    const done = await modernCall(
      listening.url,
      'several',
      {},
      {
        inputResponses: {
          greeting: { role: 'assistant', content: { type: 'text', text: 'Hi' }, model: 'm' },
          client_roots: { roots: [{ uri: 'file:///grace' }] },
          // Answering an earlier question again changes nothing: the sealed answer wins.
          user_name: { action: 'accept', content: { name: 'Mallory' } },
        },
        requestState: partial.body.result?.requestState as string,
      },
    );
    expect(done.body.result?.content).toEqual([{ type: 'text', text: 'Grace / Hi / file:///grace' }]);
  });

  it('2026-07-28: a tool that swallows the question still ends the round with it', async () => {
    const first = await modernCall(listening.url, 'swallows', {});
    expect(first.body.result?.resultType).toBe('input_required');
    expect(Object.keys(first.body.result?.inputRequests ?? {})).toEqual(['name']);
    const done = await modernCall(
      listening.url,
      'swallows',
      {},
      {
        inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } },
        requestState: first.body.result?.requestState as string,
      },
    );
    expect(done.body.result?.content).toEqual([{ type: 'text', text: 'hello Ada' }]);
  });

  it('2026-07-28: an answer of the wrong kind is a protocol error (-32602)', async () => {
    const answer = await modernCall(
      listening.url,
      'several',
      {},
      { inputResponses: { user_name: { roots: [] } } },
    );
    expect(answer.body.error?.code).toBe(-32602);
    expect(answer.body.error?.message).toContain('user_name');
  });

  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`${era}: a question the client cannot answer stops the call before anything is asked`, async () => {
      const { client, asked } = await connect(era, { roots: false });
      if (era === 'legacy') {
        const result = await client.callTool({ name: 'form_and_roots', arguments: {} });
        expect(result.isError).toBe(true);
        expect(textOf(result.content)).toBe('The client did not declare the roots capability.');
      } else {
        const error = await client
          .callTool({ name: 'form_and_roots', arguments: {} })
          .catch((caught: unknown) => caught);
        expect((error as { code?: number }).code).toBe(-32021);
      }
      expect(asked).toEqual([]);
      await client.close();
    });
  }
});

describe('prompts ask for input', () => {
  for (const era of ['legacy', '2026-07-28'] as const) {
    it(`${era}: the SDK client answers the prompt's question and gets the messages`, async () => {
      const { client, asked } = await connect(era);
      const before = runs.briefing;
      const prompt = await client.getPrompt({ name: 'briefing', arguments: { team: 'ops' } });
      const era_ = era === 'legacy' ? 'legacy' : 'modern';
      expect(prompt.messages).toEqual([
        { role: 'user', content: { type: 'text', text: `Brief the ops team on the launch (${era_}).` } },
      ]);
      expect(asked).toEqual(['elicit:What should the briefing cover?']);
      expect(runs.briefing - before).toBe(era === 'legacy' ? 1 : 2);
      await client.close();
    });
  }

  it('2026-07-28: prompts/get answers input_required with the prompt’s key and a sealed state', async () => {
    const first = await modernRequest(listening.url, 'prompts/get', {
      name: 'briefing',
      arguments: { team: 'ops' },
    });
    expect(first.body.result?.resultType).toBe('input_required');
    expect(Object.keys(first.body.result?.inputRequests ?? {})).toEqual(['topic']);
    expect(first.body.result?.requestState).toMatch(/^tw1\./);
  });

  it('refuses a missing required argument with -32602, on both eras', async () => {
    const modern = await modernRequest(listening.url, 'prompts/get', { name: 'briefing', arguments: {} });
    expect(modern.body.error?.code).toBe(-32602);
    expect(modern.body.error?.message).toContain('"team"');
    const { client } = await connect('legacy');
    await expect(client.getPrompt({ name: 'briefing', arguments: {} })).rejects.toMatchObject({
      code: -32602,
    });
    await client.close();
  });
});

describe('@toolwire/core as the client', () => {
  for (const protocol of ['legacy', '2026-07-28'] as const) {
    it(`${protocol}: answers two forms asked at once, and a prompt's question`, async () => {
      const forms: string[] = [];
      const registry = await createRegistry({
        servers: { pub: { url: listening.url, protocol, toolPrefix: false } },
        onElicitation: async (request) => {
          if (request.message.startsWith('What should')) {
            return { action: 'accept', content: { topic: 'the launch' } };
          }
          forms.push(request.message);
          return {
            action: 'accept',
            content: { name: request.message === 'First name?' ? 'Ada' : 'Lovelace' },
          };
        },
        logger: silentLogger,
      });
      try {
        const before = runs.twoForms;
        const result = await registry.callTool('two_forms', {});
        expect(result.text).toBe('Ada Lovelace');
        expect(forms.sort()).toEqual(['First name?', 'Last name?']);
        expect(runs.twoForms - before).toBe(protocol === 'legacy' ? 1 : 2);
        // A prompt's question goes to the same handler.
        const prompt = await registry.getPrompt('pub__briefing', { team: 'data' });
        const era = protocol === 'legacy' ? 'legacy' : 'modern';
        expect(prompt.messages).toEqual([
          { role: 'user', content: { type: 'text', text: `Brief the data team on the launch (${era}).` } },
        ]);
      } finally {
        await registry.close();
      }
    });

    it(`${protocol}: answers a round with roots (the registry's list, or the call's own onRoots)`, async () => {
      const registry = await createRegistry({
        servers: { pub: { url: listening.url, protocol, toolPrefix: false } },
        onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
        onSampling: async () => ({ role: 'assistant', content: { type: 'text', text: 'hi' }, model: 'm' }),
        roots: [{ uri: 'file:///registry/root', name: 'registry' }],
        logger: silentLogger,
      });
      try {
        expect((await registry.callTool('several', {})).text).toBe('Ada / hi / file:///registry/root');
        const keys: (string | undefined)[] = [];
        const own = await registry.callTool(
          'several',
          {},
          {
            onRoots: ({ inputKey }) => {
              keys.push(inputKey);
              return [{ uri: 'file:///call/root' }];
            },
          },
        );
        expect(own.text).toBe('Ada / hi / file:///call/root');
        // On 2026-07-28 the call runs its own round, and its handler sees the server's key.
        expect(keys).toEqual([protocol === 'legacy' ? undefined : 'client_roots']);
      } finally {
        await registry.close();
      }
    });
  }
});
