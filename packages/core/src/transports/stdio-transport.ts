/**
 * Node-only: spawns a stdio MCP server. Loaded on demand (dynamic import) so the root entry
 * never pulls in `node:` modules. Spawning goes through the SDK, which uses `cross-spawn`
 * (`npx`, `.cmd` shims and quoting work on Windows). Only a safe default environment is
 * inherited (PATH, HOME, …) plus the server's own `env`: secrets in our process do not leak
 * into servers. Stderr lines go to the logger and are kept for error messages, split in linear time
 * with a bounded line length (a server flooding stderr cannot grow the host).
 */
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { StdioServerDefinition } from '../config/server-config.js';
import { BoundedReadBuffer } from './bounded-read-buffer.js';
import { coalesceWrites } from './coalesced-writes.js';
import { StderrLineSplitter } from './stderr-lines.js';
import type { TransportContext } from './transport-context.js';

export function createStdioTransport(
  definition: StdioServerDefinition,
  context: TransportContext,
): StdioClientTransport {
  const transport = new StdioClientTransport({
    command: definition.command,
    args: definition.args,
    env: { ...getDefaultEnvironment(), ...definition.env },
    ...(definition.cwd ? { cwd: definition.cwd } : {}),
    stderr: definition.stderr,
    // Also bounds the SDK's own buffer where ours cannot be installed (a probe sibling).
    maxBufferSize: definition.maxMessageBytes,
  });
  installBoundedReadBuffer(transport, definition.maxMessageBytes);
  coalesceWrites(transport);
  if (definition.stderr === 'pipe') {
    const splitter = new StderrLineSplitter((line) => {
      context.onStderr?.(line);
      context.logger.debug(`[${definition.name}] ${line}`, { server: definition.name });
    });
    const stream = transport.stderr;
    stream?.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    stream?.on('end', () => splitter.end());
  }
  return transport;
}

/**
 * Puts our framing in place of the SDK transport's read buffer (same `append` / `readMessage` /
 * `clear` methods): linear in the bytes read, bounded by `maxMessageBytes`, and an oversized or
 * malformed reply fails only its own request. The SDK keeps the buffer in a private field; should
 * a later SDK rename it, the SDK's own buffer (bounded by `maxBufferSize`) stays in use.
 */
function installBoundedReadBuffer(transport: StdioClientTransport, maxMessageBytes: number): void {
  const holder = transport as unknown as { _readBuffer?: { append?: unknown } };
  if (typeof holder._readBuffer?.append !== 'function') return;
  (holder as { _readBuffer: unknown })._readBuffer = new BoundedReadBuffer(maxMessageBytes);
}

/** The child's process id, for tests and diagnostics. */
export function stdioProcessId(transport: unknown): number | null {
  return transport instanceof StdioClientTransport ? transport.pid : null;
}
