// Starts a gateway fleet for tests: two upstream publishers (`instance-server.mjs` processes,
// `alpha`, spoken to on the 2025 era with its MCP sessions, and `beta` on 2026-07-28) shared by
// N gateway instances (`gateway-instance.mjs` processes, named a, b, c, …) whose downstream
// sessions live in one Redis under a prefix of their own, behind HAProxy (round robin, no
// stickiness, each instance checked on `/ready`). `close()` stops everything it started and
// deletes the prefix's keys.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL, startInstance } from './fleet.mjs';
import { startHAProxy } from './haproxy.mjs';

const GATEWAY = new URL('./gateway-instance.mjs', import.meta.url).pathname;

/**
 * @param {{ instances?: number, redisUrl?: string, requiredUpstreams?: string[] }} options
 */
export async function startGatewayFleet(options = {}) {
  const count = options.instances ?? 3;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const prefix = `toolwire-gateway-fleet:${randomUUID()}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  /** @type {Record<'alpha' | 'beta', Awaited<ReturnType<typeof startInstance>>>} */
  const upstreams = /** @type {any} */ ({});
  const instances = [];
  let balancer;
  const close = async () => {
    await balancer?.stop();
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    await Promise.allSettled(Object.values(upstreams).map((upstream) => upstream.stop()));
    const keys = await redis.keys(`${prefix}:*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys).catch(() => {});
    redis.disconnect();
  };
  try {
    // Each upstream is a server of its own: its own sessions, under its own prefix.
    for (const name of ['alpha', 'beta']) {
      upstreams[name] = await startInstance(`up-${name}`, {
        redisUrl,
        prefix: `${prefix}:${name}`,
        requestStateSecret: randomBytes(32).toString('base64url'),
      });
    }
    const config = {
      redisUrl,
      prefix: `${prefix}:gateway`,
      // Every instance of a fleet must share it (2026-07-28 input rounds may land anywhere).
      requestStateSecret: randomBytes(32).toString('base64url'),
      upstreams: Object.fromEntries(
        Object.entries(upstreams).map(([name, upstream]) => [
          name,
          {
            url: `http://127.0.0.1:${upstream.port}/mcp`,
            type: 'http',
            // alpha speaks the 2025 era, whose MCP sessions hold upstream state; beta 2026-07-28.
            ...(name === 'alpha' ? { protocol: 'legacy' } : {}),
          },
        ]),
      ),
      ...(options.requiredUpstreams ? { requiredUpstreams: options.requiredUpstreams } : {}),
    };
    const names = Array.from({ length: count }, (_, index) => String.fromCharCode(97 + index));
    instances.push(...(await Promise.all(names.map((name) => startInstance(name, config, GATEWAY)))));
    balancer = await startHAProxy(
      instances.map(({ name, port }) => ({ name, port })),
      '/ready',
    );
    // Ready once an instance answers its readiness check through the balancer.
    for (let round = 0; round < 200; round++) {
      const response = await fetch(`${balancer.origin}/ready`).catch(() => undefined);
      await response?.text();
      if (response?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return {
      url: `${balancer.origin}/mcp`,
      origin: balancer.origin,
      prefix,
      redis,
      instances,
      upstreams,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
