import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { createMemoryFleetBus } from '../../test/support/memory-fleet-bus.js';
import { ServerRequestRouter } from './server-request-router.js';

function pair() {
  const bus = createMemoryFleetBus();
  const delivered: { at: string; sessionId: string; message: JSONRPCMessage }[] = [];
  const errors: Error[] = [];
  const make = (at: string) =>
    new ServerRequestRouter(
      bus,
      (sessionId, message) => delivered.push({ at, sessionId, message }),
      (error) => {
        errors.push(error);
      },
    );
  return { bus, a: make('a'), b: make('b'), delivered, errors };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ServerRequestRouter', () => {
  it('tags request ids with the instance, keeping numbers and strings apart', () => {
    const { a } = pair();
    const tagged = a.tag({ jsonrpc: '2.0', id: 7, method: 'elicitation/create' });
    expect(tagged.id).toBe(`toolwire:${a.instanceId}:n7`);
    expect(a.tag({ jsonrpc: '2.0', id: '7', method: 'ping' }).id).toBe(`toolwire:${a.instanceId}:s7`);
  });

  it('keeps its own answers (under the original id) and sends the others to the instance that asked', async () => {
    const { a, b, bus, delivered } = pair();
    await Promise.all([a.ready(), b.ready()]);
    const mine = { jsonrpc: '2.0', id: a.tag({ jsonrpc: '2.0', id: 3, method: 'x' }).id, result: { n: 1 } };
    const theirs = {
      jsonrpc: '2.0',
      id: b.tag({ jsonrpc: '2.0', id: 'q', method: 'x' }).id,
      result: { n: 2 },
    };
    expect(await a.route('s1', mine)).toEqual({ jsonrpc: '2.0', id: 3, result: { n: 1 } });
    expect(await a.route('s1', theirs)).toBeUndefined();
    await settle();
    expect(delivered).toEqual([
      { at: 'b', sessionId: 's1', message: { jsonrpc: '2.0', id: 'q', result: { n: 2 } } },
    ]);
    expect(bus.published).toHaveLength(1);
  });

  it('splits a batch, and leaves answers it did not tag (and requests) alone', async () => {
    const { a, b, delivered } = pair();
    const plain = { jsonrpc: '2.0', id: 5, result: {} };
    const request = { jsonrpc: '2.0', id: 6, method: 'tools/list' };
    const theirs = {
      jsonrpc: '2.0',
      id: b.tag({ jsonrpc: '2.0', id: 1, method: 'x' }).id,
      error: { code: 1, message: 'no' },
    };
    await b.ready();
    expect(await a.route('s1', [plain, theirs, request])).toEqual([plain, request]);
    await settle();
    expect(delivered.map((entry) => entry.message)).toEqual([{ ...theirs, id: 1 }]);
  });

  it('tells every other instance of a cancellation, and still hands it to its own session', async () => {
    const { a, b, delivered } = pair();
    await Promise.all([a.ready(), b.ready()]);
    const cancel = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 4 } };
    expect(await a.route('s9', cancel)).toEqual(cancel);
    await settle();
    expect(delivered).toEqual([{ at: 'b', sessionId: 's9', message: cancel }]);
  });

  it('subscribes again after a failed attempt (the bus was down at start-up)', async () => {
    const bus = createMemoryFleetBus();
    let down = true;
    const flaky = {
      publish: bus.publish,
      subscribe: (channel: string, listener: (message: string) => void) =>
        down ? Promise.reject(new Error('down')) : bus.subscribe(channel, listener),
    };
    const router = new ServerRequestRouter(
      flaky,
      () => {},
      () => {},
    );
    await expect(router.ready()).rejects.toThrow('down');
    down = false;
    await router.ready();
    expect(await router.isAlive(router.instanceId)).toBe(true);
  });

  it('routes nothing for a malformed tag, and ignores misaddressed or non-JSON bus messages', async () => {
    const { a, b, bus, delivered, errors } = pair();
    await Promise.all([a.ready(), b.ready()]);
    // Left to the session, which ignores an answer to a request it never sent.
    const forged = { jsonrpc: '2.0', id: `toolwire:${b.instanceId}:nNaN`, result: {} };
    expect(await a.route('s1', forged)).toEqual(forged);
    expect(bus.published).toEqual([]);
    await bus.publish(`instance:${b.instanceId}`, '{oops');
    await bus.publish(
      `instance:${b.instanceId}`,
      JSON.stringify({
        from: 'elsewhere',
        sessionId: 's1',
        message: { jsonrpc: '2.0', id: `toolwire:${a.instanceId}:n1`, result: {} },
      }),
    );
    await settle();
    expect(delivered).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});
