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

const NEWLINE = 0x0a;

type Framed = { line: Buffer } | { oversize: { sizeBytes: number; head: Buffer; tail: Buffer } };

export class BoundedReadBuffer {
  private readonly maxMessageBytes: number;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  /** Set while skipping a line past the limit. */
  private skipping: { sizeBytes: number; head: Buffer; tail: Buffer } | undefined;
  private readonly framed: Framed[] = [];

  constructor(maxMessageBytes: number) {
    this.maxMessageBytes = maxMessageBytes;
  }

  append(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      this.add(chunk.subarray(start, end));
      if (newline === -1) return;
      this.endLine();
      start = newline + 1;
    }
  }

  readMessage(): JSONRPCMessage | null {
    for (;;) {
      const next = this.framed.shift();
      if (next === undefined) return null;
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
      const text = next.line.toString('utf8').replace(/\r$/, '');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        // Like the SDK: a line that is not JSON (a stray log line on stdout) is skipped.
        continue;
      }
      const fault = checkReplyShape(value);
      if (fault) return fault;
      return parseJSONRPCMessage(value);
    }
  }

  clear(): void {
    this.pieces = [];
    this.pieceBytes = 0;
    this.skipping = undefined;
    this.framed.length = 0;
  }

  private add(piece: Buffer): void {
    if (piece.length === 0) return;
    if (this.skipping) {
      this.skipping.sizeBytes += piece.length;
      this.skipping.tail = lastBytes(Buffer.concat([this.skipping.tail, piece]));
      return;
    }
    // A copy: the stream may reuse the chunk's memory.
    this.pieces.push(Buffer.from(piece));
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
