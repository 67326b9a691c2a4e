#!/usr/bin/env node
// One publisher instance of the fleet. Every instance runs this same file with the same
// settings (tools, Redis prefix, request-state secret); only the name differs. Settings come
// from the environment:
//   INSTANCE_NAME, PORT (0: a free one), REDIS_URL, REDIS_PREFIX, REQUEST_STATE_SECRET
// Prints {"port": …} once listening on 127.0.0.1; SIGTERM drains running calls and exits.
import { createPublisher, defineTool } from '@toolwire/publisher';
import { createRedisStore } from '@toolwire/publisher/redis';
import { Redis } from 'ioredis';
import { z } from 'zod';

const name = process.env.INSTANCE_NAME ?? 'a';
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const publisher = createPublisher({
  name: 'fleet-example',
  version: '1.0.0',
  tools: [
    defineTool({
      name: 'where',
      description: 'Names the instance that served the call.',
      execute: () => name,
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
        const answer = await context.elicit({
          message: 'What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        });
        return answer.action === 'accept'
          ? `Hello ${String(answer.content?.name)} (asked by ${name})`
          : 'Hello!';
      },
    }),
  ],
  // The same on every instance: a 2026-07-28 input round may finish on another instance.
  requestStateSecret: process.env.REQUEST_STATE_SECRET,
  http: { store: createRedisStore({ redis, prefix: process.env.REDIS_PREFIX ?? 'fleet-example' }) },
});

const { port } = await publisher.listen({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ port })}\n`);

process.on('SIGTERM', async () => {
  await publisher.close();
  redis.disconnect();
  process.exit(0);
});
