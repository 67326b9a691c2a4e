import { describe, expect, it } from 'vitest';
import { BoundedReadBuffer } from './bounded-read-buffer.js';
import { checkReplyShape, inboundFaultOf, looksLikeReply, sniffReplyId } from './inbound-guard.js';
import { StderrLineSplitter } from './stderr-lines.js';

describe('sniffReplyId', () => {
  it('finds a top-level id written before or after the result', () => {
    expect(sniffReplyId('{"jsonrpc":"2.0","id":7,"result":{"content":[', 'x"}]}}')).toBe(7);
    expect(sniffReplyId('{"result":{"content":[{"text":"', '"}]},"jsonrpc":"2.0","id":"abc"}\n')).toBe('abc');
    expect(sniffReplyId('{"result":{"content":[{"text":"', '"}]},"id":12,"jsonrpc":"2.0"}')).toBe(12);
    // An "id" inside the result is not the reply's id.
    expect(sniffReplyId('{"result":{"id":3,"text":"', 'xxxx"}}')).toBeUndefined();
  });

  it('tells replies from notifications', () => {
    expect(looksLikeReply('{"jsonrpc":"2.0","id":1,"result":{')).toBe(true);
    expect(
      looksLikeReply('{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"error"'),
    ).toBe(false);
  });
});

describe('checkReplyShape', () => {
  it('turns a reply the SDK would drop into a fault for its request', () => {
    const fault = checkReplyShape({ jsonrpc: '2.0', id: 4, result: 42 }) as { id: number; error: unknown };
    expect(fault.id).toBe(4);
    expect(inboundFaultOf(fault.error)).toEqual({
      kind: 'malformed',
      detail: '"result" must be an object, got number 42',
    });
    expect(checkReplyShape({ jsonrpc: '2.0', id: 4, result: {} })).toBeUndefined();
    expect(checkReplyShape({ jsonrpc: '2.0', id: 4 })).toBeDefined();
    expect(checkReplyShape({ jsonrpc: '2.0', method: 'ping', id: 4 })).toBeUndefined();
  });

  it('cannot be forged by a server: a lookalike error without our nonce is not a fault', () => {
    expect(
      inboundFaultOf({ data: { toolwireFault: { kind: 'too-large' }, nonce: 'guess' } }),
    ).toBeUndefined();
  });
});

describe('BoundedReadBuffer', () => {
  it('frames lines across chunks and skips an oversized one, failing only its request', () => {
    const buffer = new BoundedReadBuffer(64);
    const big = `{"jsonrpc":"2.0","id":2,"result":{"text":"${'x'.repeat(200)}"}}\n`;
    const small = '{"jsonrpc":"2.0","id":3,"result":{}}\n';
    const bytes = Buffer.from(big + small);
    for (let offset = 0; offset < bytes.length; offset += 17)
      buffer.append(bytes.subarray(offset, offset + 17));
    const first = buffer.readMessage() as { id: number; error: unknown };
    expect(first.id).toBe(2);
    expect(inboundFaultOf(first.error)).toMatchObject({ kind: 'too-large', limitBytes: 64 });
    expect(buffer.readMessage()).toEqual({ jsonrpc: '2.0', id: 3, result: {} });
    expect(buffer.readMessage()).toBeNull();
  });

  it('frames every cut of a burst alike: CRLF, blank lines, a line at the limit, an oversized one between', () => {
    const reply = (id: number, text: string) => `{"jsonrpc":"2.0","id":${id},"result":{"t":"${text}"}}`;
    const atLimit = reply(1, 'x'.repeat(64 - reply(1, '').length));
    expect(Buffer.byteLength(atLimit)).toBe(64);
    const burst = Buffer.from(
      `${reply(0, 'a')}\r\n\n${atLimit}\n${reply(2, 'y'.repeat(100))}\n${reply(3, 'é')}\n${reply(4, 'b')}\n`,
    );
    const expected = [
      { id: 0, result: { t: 'a' } },
      { id: 1, result: { t: 'x'.repeat(64 - reply(1, '').length) } },
      { id: 2, fault: 'too-large' },
      { id: 3, result: { t: 'é' } },
      { id: 4, result: { t: 'b' } },
    ];
    for (const size of [1, 2, 5, 17, 64, 65, burst.length]) {
      const buffer = new BoundedReadBuffer(64);
      const read: unknown[] = [];
      for (let offset = 0; offset < burst.length; offset += size) {
        // A fresh copy per chunk, overwritten once appended: framing must not keep views of it past reading.
        const chunk = Buffer.from(burst.subarray(offset, offset + size));
        buffer.append(chunk);
        for (let message = buffer.readMessage(); message !== null; message = buffer.readMessage()) {
          const { id, result, error } = message as { id: number; result?: unknown; error?: unknown };
          read.push(error ? { id, fault: inboundFaultOf(error)?.kind } : { id, result });
        }
        chunk.fill(0x20);
      }
      expect(read, `chunks of ${size} bytes`).toEqual(expected);
    }
  });
});

describe('StderrLineSplitter', () => {
  it('splits CRLF lines across chunks and bounds a long line', () => {
    const lines: string[] = [];
    const splitter = new StderrLineSplitter((line) => lines.push(line), 8);
    for (const part of ['hel', 'lo\r\nwor', 'ld\n', 'a'.repeat(20), '\n', '\n', 'tail'])
      splitter.push(Buffer.from(part));
    splitter.end();
    expect(lines).toEqual(['hello', 'world', 'aaaaaaaa… (12 more bytes)', 'tail']);
  });
});
