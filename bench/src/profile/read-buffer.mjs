// stdio framing alone, interleaved: the SDK v2 client's ReadBuffer against core's
// BoundedReadBuffer, on bursts of tool-call replies (256 lines, in pipe-sized chunks cut
// anywhere). Prints the median time per reply and the ratio to the SDK.
//   node bench/src/profile/read-buffer.mjs [--rounds 300]
import { parseArgs } from 'node:util';
import { ReadBuffer } from '@modelcontextprotocol/client';
import { BoundedReadBuffer } from '../../../packages/core/dist/transports/bounded-read-buffer.js';
import { interleave } from '../lib/interleave.mjs';
import { summarize } from '../lib/stats.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '300' } } });
const lines = Array.from(
  { length: 256 },
  (_, id) =>
    `${JSON.stringify({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: `m${id}` }] } })}\n`,
);
const burst = Buffer.from(lines.join(''));
const chunks = [];
for (let start = 0, size = 4093; start < burst.length; start += size)
  chunks.push(burst.subarray(start, start + size));

const rows = [
  { name: 'SDK ReadBuffer', make: () => new ReadBuffer() },
  { name: 'BoundedReadBuffer', make: () => new BoundedReadBuffer(10 * 1024 * 1024) },
];
const samples = await interleave({
  rows,
  iterations: Number(values.rounds),
  warmup: 30,
  measure: (row) => {
    const buffer = row.make();
    let read = 0;
    const started = performance.now();
    for (const chunk of chunks) {
      // Each chunk arrives as its own Buffer, as from a pipe.
      buffer.append(Buffer.from(chunk));
      while (buffer.readMessage() !== null) read++;
    }
    const ms = performance.now() - started;
    if (read !== lines.length) throw new Error(`${row.name}: read ${read} of ${lines.length}`);
    return (ms * 1000) / lines.length;
  },
});
const base = summarize(samples.get(rows[0].name)).median;
for (const row of rows) {
  const { median } = summarize(samples.get(row.name));
  console.log(`${(median / base).toFixed(3)}×  ${median.toFixed(2)} µs/reply  ${row.name}`);
}
