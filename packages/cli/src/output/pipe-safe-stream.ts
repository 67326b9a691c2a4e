/**
 * Output to a pipe that may close early (`toolwire doctor | head -1`): once the reader has gone
 * (EPIPE), further output is dropped and the command finishes quietly, closing its servers,
 * instead of dying with a stack trace.
 */
import type { OutputStream } from './terminal.js';

interface NodeWritable {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
}

/** Wraps a process stream; `closed` tells whether the reader went away. */
export function pipeSafe(stream: NodeWritable): OutputStream & { readonly closed: boolean } {
  let closed = false;
  stream.on('error', (error) => {
    // Any other write error (a full disk behind a redirect) has nowhere to be reported either;
    // stop writing and fail the run rather than crash mid-command.
    if (error.code !== 'EPIPE') process.exitCode = 1;
    closed = true;
  });
  return {
    get closed() {
      return closed;
    },
    write(text: string) {
      if (closed) return false;
      try {
        return stream.write(text);
      } catch (error) {
        // A synchronous pipe can throw instead of emitting 'error'.
        if ((error as NodeJS.ErrnoException).code !== 'EPIPE') process.exitCode = 1;
        closed = true;
        return false;
      }
    },
  };
}
