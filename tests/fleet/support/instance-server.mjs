#!/usr/bin/env node
// One publisher instance of the test fleet, in a process of its own: the public
// `@toolwire/publisher` entry point with the Redis store, the fleet's shared `requestStateSecret`,
// and optionally JWT auth against a local JWKS. Configured by the FLEET_INSTANCE environment
// variable (JSON: name, redisUrl, prefix, requestStateSecret, auth?); prints {"port": …} as its
// first stdout line once listening on 127.0.0.1 (a free port). SIGTERM closes it cleanly; the
// tests also SIGKILL it.
//
// Tools: `where` (instance and session), `add`, `greet` (elicitation), `think` (sampling),
// `countdown` (progress events, pausing halfway until the test opens a gate in Redis) and `hold`
// (marks where it runs in Redis, then waits until the test releases it, and marks that it was
// cancelled if it was).
import { createPublisher, defineTool } from '@toolwire/publisher';
import { createRedisStore } from '@toolwire/publisher/redis';
import { Redis } from 'ioredis';
import { z } from 'zod';

const config = JSON.parse(process.env.FLEET_INSTANCE ?? '{}');
const { name, redisUrl, prefix } = config;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });

/** Resolves once `key` exists in Redis (checked every 20 ms, for at most 30 s), or when aborted. */
async function waitForKey(key, signal) {
  for (let round = 0; round < 1500 && !signal.aborted; round++) {
    if ((await redis.exists(key)) === 1) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

const tools = [
  defineTool({
    name: 'where',
    description: 'Names the instance serving the call, and the session.',
    execute: (_args, context) => `${name}:${context.sessionId ?? '-'}`,
  }),
  defineTool({
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: z.object({ a: z.number(), b: z.number() }),
    execute: ({ a, b }) => String(a + b),
  }),
  defineTool({
    name: 'greet',
    description: 'Asks the user for their name, then greets them.',
    async execute(_args, context) {
      if (process.env.FLEET_DEBUG) process.stderr.write(`[${name}] greet asks\n`);
      const answer = await context.elicit({
        message: 'Your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      });
      if (answer.action !== 'accept') return `No name (${answer.action}) on ${name}`;
      return `Hello ${String(answer.content?.name)}, from ${name}`;
    },
  }),
  defineTool({
    name: 'think',
    description: "Asks the client's model for a word.",
    async execute(_args, context) {
      const answer = await context.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'Say a word.' } }],
        maxTokens: 5,
      });
      const text = answer.content?.type === 'text' ? answer.content.text : JSON.stringify(answer.content);
      return `The model said ${text}, to ${name}`;
    },
  }),
  defineTool({
    name: 'countdown',
    description: 'Reports progress `count` times, pausing halfway until the gate opens.',
    inputSchema: z.object({ count: z.number().int().min(2).max(100), gate: z.string() }),
    async execute({ count, gate }, context) {
      const half = Math.floor(count / 2);
      for (let step = 1; step <= count; step++) {
        if (step === half + 1) {
          await redis.set(`${prefix}:test:halfway:${gate}`, name, 'PX', 60_000);
          await waitForKey(`${prefix}:test:gate:${gate}`, context.signal);
        }
        await context.reportProgress({ progress: step, total: count, message: `step ${step}` });
      }
      return `counted ${count} on ${name}`;
    },
  }),
  defineTool({
    name: 'hold',
    description: 'Marks where it runs, then waits until released.',
    inputSchema: z.object({ tag: z.string() }),
    async execute({ tag }, context) {
      await redis.set(`${prefix}:test:held:${tag}`, name, 'PX', 60_000);
      await waitForKey(`${prefix}:test:release:${tag}`, context.signal);
      if (context.signal.aborted) await redis.set(`${prefix}:test:aborted:${tag}`, name, 'PX', 60_000);
      return `released ${tag} on ${name}`;
    },
  }),
];

const publisher = createPublisher({
  name: 'fleet-fixture',
  version: '1.0.0',
  tools,
  requestStateSecret: config.requestStateSecret,
  http: {
    store: createRedisStore({ redis, prefix }),
    ...(config.auth
      ? {
          auth: {
            jwt: { jwksUrl: config.auth.jwksUrl, issuer: config.auth.issuer, audience: config.auth.audience },
            authorizationServers: [config.auth.issuer],
          },
        }
      : {}),
  },
  onError: (error) => {
    if (process.env.FLEET_DEBUG) process.stderr.write(`[${name}] ${error.stack ?? error}\n`);
  },
});

const listening = await publisher.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ port: listening.port })}\n`);

process.on('SIGTERM', async () => {
  await publisher.close({ drainMs: 500 });
  redis.disconnect();
  process.exit(0);
});
