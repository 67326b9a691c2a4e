import { describe, expect, it } from 'vitest';
import { createNotificationRelay } from './notification-relay.js';

/** Sends that wait until the test opens the gate; `sent` lists what started, in order. */
function gatedSends() {
  const sent: string[] = [];
  const waiting: (() => void)[] = [];
  return {
    sent,
    send: (label: string) => () => {
      sent.push(label);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    open: async () => {
      while (waiting.length > 0) {
        for (const resolve of waiting.splice(0)) resolve();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

describe('createNotificationRelay', () => {
  it('hands on everything, in order, while the caller keeps up', async () => {
    const relay = createNotificationRelay(4);
    const gate = gatedSends();
    relay.progress(gate.send('p1'));
    relay.log(gate.send('l1'));
    relay.progress(gate.send('p2'));
    const settled = relay.settled();
    await gate.open();
    await settled;
    expect(gate.sent).toEqual(['p1', 'l1', 'p2']);
    expect(relay.busy).toBe(false);
  });

  it('past the bound, keeps only the latest progress and drops logs, then sends the latest', async () => {
    const relay = createNotificationRelay(2);
    const gate = gatedSends();
    relay.progress(gate.send('p1'));
    relay.progress(gate.send('p2'));
    relay.progress(gate.send('p3'));
    relay.log(gate.send('l1'));
    relay.progress(gate.send('p4'));
    relay.log(gate.send('l2'));
    expect(gate.sent).toEqual(['p1', 'p2']);
    expect(relay.droppedLogs).toBe(2);
    expect(relay.busy).toBe(true);
    const settled = relay.settled();
    await gate.open();
    await settled;
    expect(gate.sent).toEqual(['p1', 'p2', 'p4']);
    expect(relay.busy).toBe(false);
  });
});
