// What the fleet tests need from the machine: HAProxy and a Redis on loopback. Under CI=true a
// missing one fails the run (.ci/run installs HAProxy); elsewhere the tests skip, loudly.
import { Redis } from 'ioredis';
import { DEFAULT_REDIS_URL } from './fleet.mjs';
import { haproxyPath } from './haproxy.mjs';

async function redisAvailable(url) {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/** `true` when the fleet can run here; throws under CI=true when it cannot. */
export async function fleetAvailable() {
  const redisUrl = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  const missing = [];
  if (!haproxyPath()) missing.push('haproxy (apt-get install -y haproxy)');
  if (!(await redisAvailable(redisUrl))) missing.push(`Redis at ${redisUrl}`);
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`The fleet tests need ${missing.join(' and ')} in CI.`);
  console.warn(`\n!!! fleet tests SKIPPED: ${missing.join(' and ')} missing !!!\n`);
  return false;
}
