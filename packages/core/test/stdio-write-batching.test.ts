/**
 * Requests sent in one turn of the event loop reach a stdio server in one write
 * (`transports/coalesced-writes.ts`), in order, and every one is answered; a request sent on its
 * own still goes out at once.
 */
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import { coalesceWrites } from '../src/transports/coalesced-writes.js';
import { faultServerPath, temporaryDirectory } from './support/fault-servers.js';

const directory = temporaryDirectory('stdio-write-batching');
afterAll(() => directory.cleanup());

/** Counts the stream's writes to the pipe and the messages each carried. */
function recordWrites(stdin: Writable): number[] {
  const batches: number[] = [];
  const internals = stdin as unknown as {
    _write(chunk: unknown, encoding: string, callback: () => void): void;
    _writev?(chunks: unknown[], callback: () => void): void;
  };
  const write = internals._write.bind(stdin);
  internals._write = (chunk, encoding, callback) => {
    batches.push(1);
    write(chunk, encoding, callback);
  };
  const writev = internals._writev?.bind(stdin);
  if (writev) {
    internals._writev = (chunks, callback) => {
      batches.push(chunks.length);
      writev(chunks, callback);
    };
  }
  return batches;
}

describe('stdio write batching', () => {
  it('sends the calls of one turn in one write and answers each', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [faultServerPath],
      env: { FAULT_NAME: 's', FAULT_EVENTS_FILE: join(directory.path, 'events.jsonl') },
      stderr: 'ignore',
    });
    coalesceWrites(transport);
    const client = new Client({ name: 'stdio-write-batching', version: '1.0.0' });
    await client.connect(transport);
    // Listed first, as applications do: the SDK otherwise lists tools itself within the first call.
    await client.listTools();
    try {
      const stdin = (transport as unknown as { _process: { stdin: Writable } })._process.stdin;
      const batches = recordWrites(stdin);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          client.callTool({ name: 'echo', arguments: { message: `m${index}` } }),
        ),
      );
      expect(results.map((result) => result.content)).toEqual(
        Array.from({ length: 20 }, (_, index) => [{ type: 'text', text: `s: m${index}` }]),
      );
      expect(batches).toEqual([20]);

      batches.length = 0;
      const alone = await client.callTool({ name: 'echo', arguments: { message: 'alone' } });
      expect(alone.content).toEqual([{ type: 'text', text: 's: alone' }]);
      expect(batches).toEqual([1]);
    } finally {
      await client.close();
    }
  });
});
