#!/usr/bin/env node
// One gateway instance of the test gateway fleet, in a process of its own: the public
// `@toolwire/gateway` entry point over the fleet's upstreams, its downstream sessions in the
// shared Redis store (so a session continues on any instance) with the fleet's shared
// `requestStateSecret`. Configured by the FLEET_INSTANCE environment variable (JSON: name,
// redisUrl, prefix, requestStateSecret, upstreams, requiredUpstreams?); prints {"port": …} as
// its first stdout line once listening on 127.0.0.1 (a free port). SIGTERM closes it cleanly.
import { createGateway } from '@toolwire/gateway';
import { createRedisStore } from '@toolwire/publisher/redis';
import { Redis } from 'ioredis';

const config = JSON.parse(process.env.FLEET_INSTANCE ?? '{}');
const { name, redisUrl, prefix } = config;
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const gateway = await createGateway({
  name: 'fleet-gateway',
  upstreams: { servers: config.upstreams, cache: 'memory', logger: silent },
  ...(config.requiredUpstreams ? { requiredUpstreams: config.requiredUpstreams } : {}),
  publisher: {
    requestStateSecret: config.requestStateSecret,
    http: { store: createRedisStore({ redis, prefix }) },
    onError: (error) => {
      if (process.env.FLEET_DEBUG) process.stderr.write(`[gateway ${name}] ${error.stack ?? error}\n`);
    },
  },
});

const listening = await gateway.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ port: listening.port })}\n`);

process.on('SIGTERM', async () => {
  await gateway.publisher.close({ drainMs: 500 });
  await gateway.close();
  redis.disconnect();
  process.exit(0);
});
