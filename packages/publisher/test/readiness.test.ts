/**
 * `http.readiness`: a readiness route beside `/health`, served on loopback by a real publisher.
 * It answers what the check reports (200 ready, 503 not), after the Host check, without a
 * session; a check that throws is "not ready" (reported to `onError`, not to the caller); without
 * `readiness` there is no route.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPublisher, defineTool, type Publisher } from '../src/index.js';

const publishers: Publisher[] = [];
afterAll(async () => {
  for (const publisher of publishers) await publisher.close({ drainMs: 100 });
});

function make(
  readiness?: () => { ready: boolean; body?: Record<string, unknown> },
  onError: (error: Error) => void = () => {},
) {
  const publisher = createPublisher({
    name: 'ready-test',
    version: '1.0.0',
    tools: [defineTool({ name: 'ping', description: 'Answers pong.', execute: () => 'pong' })],
    onError,
    http: readiness ? { readiness, readyPath: '/ready' } : {},
  });
  publishers.push(publisher);
  return publisher;
}

describe('http.readiness', () => {
  it('answers 200 with the body while ready, 503 while not', async () => {
    let ready = true;
    const { url } = await make(() => ({ ready, body: { upstreams: 2 } })).listen();
    const up = await fetch(new URL('/ready', url));
    expect(up.status).toBe(200);
    expect(up.headers.get('cache-control')).toBe('no-store');
    expect(await up.json()).toEqual({ status: 'ready', upstreams: 2 });
    ready = false;
    const down = await fetch(new URL('/ready', url));
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'not-ready', upstreams: 2 });
  });

  it('applies the Host check, like /health', async () => {
    const publisher = make(() => ({ ready: true }));
    const response = await publisher.fetch(
      new Request('http://evil.example/ready', { headers: { host: 'evil.example' } }),
    );
    expect(response.status).toBe(403);
  });

  it('a check that throws is not ready, and its error goes to onError only', async () => {
    const errors: Error[] = [];
    const { url } = await make(
      () => {
        throw new Error('check exploded: token=s3cret');
      },
      (error) => {
        errors.push(error);
      },
    ).listen();
    const response = await fetch(new URL('/ready', url));
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(text).not.toContain('s3cret');
    expect(JSON.parse(text)).toEqual({ status: 'not-ready' });
    expect(errors.map((error) => error.message)).toEqual(['check exploded: token=s3cret']);
  });

  it('has no route without readiness', async () => {
    const { url } = await make().listen();
    const response = await fetch(new URL('/ready', url));
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
