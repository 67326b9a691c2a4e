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
  });
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

/** The child's process id, for tests and diagnostics. */
export function stdioProcessId(transport: unknown): number | null {
  return transport instanceof StdioClientTransport ? transport.pid : null;
}
