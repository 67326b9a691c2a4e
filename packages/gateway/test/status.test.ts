/**
 * Status and readiness over real peers: an upstream that serves (our publisher on loopback) and
 * one that cannot be reached, configured with a bearer header and a secret in its URL's query.
 * `gateway.status()` reports each upstream; `GET /ready` answers 200 while every required
 * upstream is usable and 503 naming the failing ones otherwise; neither ever shows a secret.
 */
import { silentLogger } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../core/test/support/index.js';
import { createGateway, type Gateway } from '../src/index.js';
import { type GatedUpstream, startGatedUpstream } from './support/gated-upstream.js';

const BEARER = 'b3arer-secret-value';
const QUERY_SECRET = 'qu3ry-t0ken-value';
let alpha: GatedUpstream;
let deadUrl: string;
const gateways: Gateway[] = [];

beforeAll(async () => {
  alpha = await startGatedUpstream('alpha');
  deadUrl = `http://127.0.0.1:${await freePort()}/mcp?token=${QUERY_SECRET}`;
});

afterAll(async () => {
  for (const gateway of gateways.splice(0)) await gateway.close().catch(() => {});
  await alpha?.close();
});

async function start(requiredUpstreams: string[]): Promise<{ gateway: Gateway; origin: string }> {
  const gateway = await createGateway({
    upstreams: {
      servers: {
        alpha: { url: alpha.url, type: 'http' },
        dead: {
          url: deadUrl,
          type: 'http',
          headers: { Authorization: `Bearer ${BEARER}` },
        },
      },
      cache: 'memory',
      logger: silentLogger,
    },
    requiredUpstreams,
    publisher: { onError: () => {} },
  });
  gateways.push(gateway);
  const { url } = await gateway.listen();
  return { gateway, origin: new URL(url).origin };
}

function expectNoSecrets(text: string): void {
  for (const secret of [BEARER, QUERY_SECRET]) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(secret).toString('base64'));
  }
}

describe('gateway.status() and GET /ready', () => {
  it('reports every upstream, and is ready while the required ones are usable', async () => {
    const { gateway, origin } = await start(['alpha']);
    const status = gateway.status();
    expect(status).toMatchObject({ state: 'serving', ready: true, failing: ['dead'], reloads: 0 });
    expect(status.upstreams.find((upstream) => upstream.name === 'alpha')).toMatchObject({
      status: 'active',
      required: true,
      toolCount: 2,
    });
    const dead = status.upstreams.find((upstream) => upstream.name === 'dead');
    expect(dead).toMatchObject({ status: 'failed', required: false, toolCount: 0 });
    expect(dead?.lastError?.code).toBe('CONNECT_FAILED');
    expectNoSecrets(JSON.stringify(status));

    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    const body = await ready.text();
    expectNoSecrets(body);
    expect(JSON.parse(body)).toMatchObject({
      status: 'ready',
      upstreams: 2,
      failing: [{ name: 'dead', status: 'failed', required: false }],
    });
  });

  it('answers 503 naming the failing required upstream, and 200 once a reload fixes it', async () => {
    const { gateway, origin } = await start(['dead']);
    expect(gateway.status().ready).toBe(false);
    const notReady = await fetch(`${origin}/ready`);
    expect(notReady.status).toBe(503);
    const body = await notReady.text();
    expectNoSecrets(body);
    const parsed = JSON.parse(body) as {
      status: string;
      failing: { name: string; error: { code: string } }[];
    };
    expect(parsed.status).toBe('not-ready');
    expect(parsed.failing.map((upstream) => upstream.name)).toEqual(['dead']);
    expect(parsed.failing[0]?.error.code).toBe('CONNECT_FAILED');

    await gateway.reload({
      upstreams: {
        servers: { alpha: { url: alpha.url, type: 'http' }, dead: { url: alpha.url, type: 'http' } },
        cache: 'memory',
        logger: silentLogger,
      },
      requiredUpstreams: ['dead'],
    });
    const ready = await fetch(`${origin}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', upstreams: 2 });
    expect(gateway.status()).toMatchObject({ ready: true, failing: [], reloads: 1 });
  });

  it('refuses requiredUpstreams naming no upstream (CONFIG_INVALID)', async () => {
    await expect(start(['nope'])).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
