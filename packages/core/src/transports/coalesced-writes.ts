/**
 * Node-only: the messages a stdio transport sends in one turn of the event loop leave in one
 * write. The SDK's `StdioClientTransport.send` writes each message to the child's stdin on its own,
 * a system call per message; with 256 calls in flight that native write was a quarter of the
 * client's CPU time. Here the first `send` of a turn corks stdin and a `process.nextTick` uncorks
 * it once the turn's promise jobs have run, so the batch goes out as one vectored write. Order,
 * back-pressure (`write()` still returns false past the high-water mark and `send` still waits for
 * `drain`) and errors stay the SDK's. A sequential call gains no latency: the tick runs before the
 * event loop moves on.
 */
import type { Writable } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

export function coalesceWrites(transport: StdioClientTransport): void {
  // The SDK keeps the child in a private field; without it (a later SDK) every write goes alone.
  const holder = transport as unknown as { _process?: { stdin?: Writable | null } };
  const send = transport.send.bind(transport);
  let corked: Writable | undefined;
  transport.send = (message: JSONRPCMessage) => {
    const stdin = holder._process?.stdin;
    if (stdin && corked !== stdin && stdin.writable) {
      corked = stdin;
      stdin.cork();
      process.nextTick(() => {
        corked = undefined;
        stdin.uncork();
      });
    }
    return send(message);
  };
}
