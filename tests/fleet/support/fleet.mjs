// Starts a publisher fleet for tests, the example and the bench: N instances of
// `instance-server.mjs` (separate node processes, the built `@toolwire/publisher`) sharing one
// Redis under a prefix of their own, behind HAProxy (round robin, no stickiness). `close()`
// stops everything it started and deletes the prefix's keys.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { startHAProxy } from './haproxy.mjs';

const SCRIPT = new URL('./instance-server.mjs', import.meta.url).pathname;
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** How long a fleet may take to have a healthy instance behind HAProxy (a bound, not a wait). */
const READY_TIMEOUT_MS = 60_000;

/**
 * The one-file build of `script` when the test run made one (support/bundle-instances.mjs, named
 * by FLEET_BUNDLE_DIR); the script itself otherwise (the bench, the example).
 */
function runnable(script) {
  const directory = process.env.FLEET_BUNDLE_DIR;
  const bundled = directory ? join(directory, basename(script)) : undefined;
  return bundled && existsSync(bundled) ? bundled : script;
}

/** Starts one instance process (`script`: a publisher by default); resolves once it listens. */
export function startInstance(name, config, script = SCRIPT) {
  const child = spawn(process.execPath, [runnable(script)], {
    env: { ...process.env, FLEET_INSTANCE: JSON.stringify({ ...config, name }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const exited = (code, signal) =>
      reject(new Error(`instance ${name} exited (${code ?? signal}) before listening`));
    child.once('exit', exited);
    lines.once('line', (line) => {
      child.off('exit', exited);
      const { port } = JSON.parse(line);
      resolve({
        name,
        port,
        child,
        /** SIGKILL: no drain, no goodbye; resolves once the process is gone. */
        async kill() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise((done) => child.once('exit', done));
          child.kill('SIGKILL');
          await gone;
        },
        async stop() {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const gone = new Promise((done) => child.once('exit', done));
          child.kill('SIGTERM');
          await gone;
        },
      });
    });
  });
}

/**
 * Starts `instances` publishers (named a, b, c, …) and HAProxy in front of them.
 *
 * @param {{ instances?: number, redisUrl?: string, prefix?: string, auth?: { jwksUrl: string, issuer: string, audience: string } }} options
 */
export async function startFleet(options = {}) {
  const count = options.instances ?? 3;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const prefix = options.prefix ?? `toolwire-fleet:${randomUUID()}`;
  const config = {
    redisUrl,
    prefix,
    // Every instance of a fleet must share it (2026-07-28 input rounds may land anywhere).
    requestStateSecret: randomBytes(32).toString('base64url'),
    ...(options.auth ? { auth: options.auth } : {}),
  };
  const names = Array.from({ length: count }, (_, index) => String.fromCharCode(97 + index));
  const instances = [];
  let balancer;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const close = async () => {
    await balancer?.stop();
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    const keys = await redis.keys(`${prefix}:*`).catch(() => []);
    if (keys.length > 0) await redis.del(...keys).catch(() => {});
    redis.disconnect();
  };
  try {
    instances.push(...(await Promise.all(names.map((name) => startInstance(name, config)))));
    balancer = await startHAProxy(instances.map(({ name, port }) => ({ name, port })));
    // Ready once every instance answers its health check through the balancer's own probe.
    const url = `${balancer.origin}/mcp`;
    // Waited for by the clock, not by a count of tries: on a busy machine HAProxy and the instances
    // may take many seconds, and a fleet that is not ready must fail here, not at the first call.
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      const response = await fetch(`${balancer.origin}/health`).catch(() => undefined);
      await response?.text();
      if (response?.ok) break;
      if (Date.now() > deadline)
        throw new Error(
          `fleet: HAProxy at ${balancer.origin} had no healthy instance within ${READY_TIMEOUT_MS / 1000} s (last answer: ${response?.status ?? 'none'})`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return { url, origin: balancer.origin, prefix, redis, instances, close };
  } catch (error) {
    await close();
    throw error;
  }
}
