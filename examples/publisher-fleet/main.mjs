#!/usr/bin/env node
// Example: a publisher fleet on one machine. Starts three @toolwire/publisher instances
// (instance.mjs, separate processes sharing the Redis at REDIS_URL, default 127.0.0.1:6379, under
// a prefix of their own) behind HAProxy (load-balancer.mjs: round robin, no stickiness), then
// checks it through @toolwire/core on both protocol eras: one 2025-era session served by every
// instance in turn, an elicitation whose answer reaches the instance that asked wherever the load
// balancer sends it, and 2026-07-28 calls and an input round spread over the instances.
// Self-checking: exits non-zero when a result is wrong.
//
//   pnpm --filter @toolwire/example-publisher-fleet start     # check, then stop
//   pnpm --filter @toolwire/example-publisher-fleet serve     # check, then keep serving (Ctrl-C)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { createRegistry, silentLogger } from '@toolwire/core';
import { Redis } from 'ioredis';
import { haproxyPath, startLoadBalancer } from './load-balancer.mjs';

const serve = process.argv.includes('--serve');
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// What the fleet needs from this machine. Under `test` (--ci) a missing piece skips the example
// loudly, except in CI, where .ci/run installs HAProxy and starts Redis.
async function redisReachable() {
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
const missing = [];
if (!haproxyPath()) missing.push('haproxy (apt-get install -y haproxy)');
if (!(await redisReachable())) missing.push(`Redis at ${redisUrl}`);
if (missing.length > 0) {
  const message = `publisher-fleet example needs ${missing.join(' and ')}`;
  if (process.argv.includes('--ci') && process.env.CI !== 'true') {
    console.warn(`\n!!! ${message}: SKIPPED !!!\n`);
    process.exit(0);
  }
  console.error(message);
  process.exit(1);
}

// 1. Three instances with the same settings: one Redis prefix, one request-state secret.
const prefix = `fleet-example:${randomUUID()}`;
const settings = {
  REDIS_URL: redisUrl,
  REDIS_PREFIX: prefix,
  REQUEST_STATE_SECRET: process.env.REQUEST_STATE_SECRET ?? randomBytes(32).toString('base64url'),
};
function startInstance(name) {
  const child = spawn(process.execPath, [new URL('./instance.mjs', import.meta.url).pathname], {
    env: { ...process.env, ...settings, INSTANCE_NAME: name, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance ${name} exited (${code})`)));
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ name, port: JSON.parse(line).port, child }),
    );
  });
}
const instances = [];
let balancer;
const redis = new Redis(redisUrl);
async function stopAll() {
  await balancer?.stop();
  await Promise.all(
    instances.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}

let failed = false;
try {
  instances.push(...(await Promise.all(['a', 'b', 'c'].map(startInstance))));
  // 2. The load balancer in front of them.
  balancer = await startLoadBalancer(instances, Number(process.env.PORT ?? 0));
  const origin = new URL(balancer.url).origin;
  for (let attempt = 0; attempt < 200; attempt++) {
    const health = await fetch(`${origin}/health`).catch(() => undefined);
    await health?.text();
    if (health?.ok) break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  console.log(`fleet: ${instances.map(({ name, port }) => `${name} on :${port}`).join(', ')}`);
  console.log(`load balancer: ${balancer.url}`);

  // 3. The self-check: a client that knows only the load balancer's URL.
  for (const protocol of ['legacy', '2026-07-28']) {
    const registry = await createRegistry({
      servers: { fleet: { url: balancer.url, protocol, toolPrefix: false } },
      onElicitation: async () => ({ action: 'accept', content: { name: 'Ada' } }),
      cache: 'memory',
      logger: silentLogger,
    });
    try {
      const served = [];
      for (let call = 0; call < 6; call++) served.push((await registry.callTool('where', {})).text);
      assert.deepEqual(new Set(served), new Set(['a', 'b', 'c']), `${protocol}: every instance serves calls`);
      assert.equal((await registry.callTool('add', { a: 40, b: 2 })).text, '42');
      const greetings = [];
      for (let call = 0; call < 3; call++) greetings.push((await registry.callTool('greet', {})).text);
      for (const greeting of greetings) assert.match(greeting, /^Hello Ada \(asked by [abc]\)$/);
      console.log(`${protocol}: calls served by ${served.join(' ')}; ${greetings.join('; ')}`);
    } finally {
      await registry.close();
    }
  }
  console.log('self-check passed');

  if (serve) {
    console.log(`serving at ${balancer.url} (Ctrl-C to stop)`);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
