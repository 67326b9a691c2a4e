/**
 * Node-only: frames a stdio server's stdout into JSON-RPC messages, one per line, in linear time
 * and within `maxMessageBytes`. It stands in for the SDK's read buffer (same three methods), which
 * copies its whole buffer on every chunk and, past its limit, closes the connection. Here a line
 * past the limit is skipped (only its first and last bytes are kept, to find the request it
 * answers) and becomes a fault reply for that request; a reply of the wrong shape becomes one too.
 */
import { type JSONRPCMessage, parseJSONRPCMessage } from '@modelcontextprotocol/client';
import {
  checkReplyShape,
  faultReply,
  looksLikeReply,
  SNIFF_BYTES,
  sniffReplyId,
  UnattributedOversizeError,
} from './inbound-guard.js';
import { plainResultReply } from './plain-result-reply.js';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

type Framed = { line: Buffer } | { oversize: { sizeBytes: number; head: Buffer; tail: Buffer } };

export class BoundedReadBuffer {
  private readonly maxMessageBytes: number;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Set while skipping a line past the limit. */
  private skipping: { sizeBytes: number; head: Buffer; tail: Buffer } | undefined;
  private framed: (Framed | undefined)[] = [];
  /** Index of the next framed message to read (no `shift()`: a chunk may frame hundreds). */
  private framedHead = 0;

  constructor(maxMessageBytes: number) {
    this.maxMessageBytes = maxMessageBytes;
  }

  append(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        // The start of a line whose end comes in a later chunk: kept as a copy (the stream may
        // reuse the chunk's memory). A chunk ending its last line leaves nothing (no empty view).
        if (start < chunk.length) this.add(chunk.subarray(start), true);
        return;
      }
      // A whole line within this chunk and nothing pending: framed as a view of the chunk, no
      // copy (the SDK reads every framed message right after `append`).
      if (this.pieceBytes === 0 && !this.skipping && newline - start <= this.maxMessageBytes) {
        if (newline > start) this.framed.push({ line: chunk.subarray(start, newline) });
      } else {
        this.add(chunk.subarray(start, newline), false);
        this.endLine();
      }
      start = newline + 1;
    }
  }

  readMessage(): JSONRPCMessage | null {
    for (;;) {
      const next = this.framed[this.framedHead];
      if (next === undefined) {
        if (this.framedHead > 0) {
          this.framed = [];
          this.framedHead = 0;
        }
        return null;
      }
      this.framed[this.framedHead++] = undefined;
      if ('oversize' in next) {
        const { sizeBytes, head, tail } = next.oversize;
        const headText = head.toString('utf8');
        // An oversized notification or server request is dropped: nothing waits on it here.
        if (!looksLikeReply(headText)) continue;
        const id = sniffReplyId(headText, tail.toString('utf8'));
        if (id !== undefined) {
          return faultReply(id, { kind: 'too-large', limitBytes: this.maxMessageBytes, sizeBytes });
        }
        throw new UnattributedOversizeError(this.maxMessageBytes, sizeBytes);
      }
      const line = next.line;
      const text = line.toString(
        'utf8',
        0,
        line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length,
      );
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // Like the SDK: a line that is not JSON (a stray log line on stdout) is skipped.
        continue;
      }
      const fault = checkReplyShape(value);
      if (fault) return fault;
      return plainResultReply(value) ?? parseJSONRPCMessage(value);
    }
  }

  clear(): void {
    this.pieces = [];
    this.pieceBytes = 0;
    this.skipping = undefined;
    this.framed = [];
    this.framedHead = 0;
  }

  /** `copy`: the piece outlives this `append` (its line ends in a later chunk). */
  private add(piece: Buffer, copy: boolean): void {
    if (piece.length === 0) return;
    if (this.skipping) {
      this.skipping.sizeBytes += piece.length;
      this.skipping.tail = lastBytes(Buffer.concat([this.skipping.tail, piece]));
      return;
    }
    this.pieces.push(copy ? Buffer.from(piece) : piece);
    this.pieceBytes += piece.length;
    if (this.pieceBytes > this.maxMessageBytes) {
      const whole = Buffer.concat(this.pieces, this.pieceBytes);
      this.skipping = {
        sizeBytes: this.pieceBytes,
        head: Buffer.from(whole.subarray(0, SNIFF_BYTES)),
        tail: lastBytes(whole),
      };
      this.pieces = [];
      this.pieceBytes = 0;
    }
  }

  private endLine(): void {
    if (this.skipping) {
      this.framed.push({ oversize: this.skipping });
      this.skipping = undefined;
      return;
    }
    if (this.pieceBytes === 0) return;
    const line =
      this.pieces.length === 1 ? (this.pieces[0] as Buffer) : Buffer.concat(this.pieces, this.pieceBytes);
    this.pieces = [];
    this.pieceBytes = 0;
    this.framed.push({ line });
  }
}

function lastBytes(buffer: Buffer): Buffer {
  return buffer.length <= SNIFF_BYTES
    ? Buffer.from(buffer)
    : Buffer.from(buffer.subarray(buffer.length - SNIFF_BYTES));
}
