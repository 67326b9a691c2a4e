/**
 * Splits a child's stderr into lines in linear time and bounded memory, whatever the child writes:
 * each chunk is scanned once, and a line keeps at most `maxLineBytes` (the rest is only counted),
 * so a server that floods stderr without a newline cannot grow the host or stall its event loop.
 */

/** Bytes of one stderr line kept for logs and error hints; the rest is counted, not kept. */
export const MAX_STDERR_LINE_BYTES = 4 * 1024;

const NEWLINE = 0x0a;

export class StderrLineSplitter {
  private readonly maxLineBytes: number;
  private readonly onLine: (line: string) => void;
  private readonly kept: Uint8Array[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;

  constructor(onLine: (line: string) => void, maxLineBytes = MAX_STDERR_LINE_BYTES) {
    this.onLine = onLine;
    this.maxLineBytes = maxLineBytes;
  }

  /** Feeds one chunk; completed lines go to `onLine` at once. */
  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, newline));
      this.flush();
      start = newline + 1;
    }
  }

  /** Emits what is left (the stream ended without a final newline). */
  end(): void {
    if (this.keptBytes > 0 || this.droppedBytes > 0) this.flush();
  }

  private keep(piece: Uint8Array): void {
    const room = this.maxLineBytes - this.keptBytes;
    if (room >= piece.length) {
      if (piece.length > 0) {
        // A copy: the chunk's buffer may be pooled and reused by the stream.
        this.kept.push(piece.slice());
        this.keptBytes += piece.length;
      }
      return;
    }
    if (room > 0) {
      this.kept.push(piece.slice(0, room));
      this.keptBytes += room;
    }
    this.droppedBytes += piece.length - Math.max(0, room);
  }

  private flush(): void {
    const joined = new Uint8Array(this.keptBytes);
    let offset = 0;
    for (const piece of this.kept) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    let line = new TextDecoder().decode(joined).replace(/\r$/, '');
    if (this.droppedBytes > 0) line += `… (${this.droppedBytes} more bytes)`;
    this.kept.length = 0;
    this.keptBytes = 0;
    this.droppedBytes = 0;
    if (line.trim() !== '') this.onLine(line);
  }
}
