/**
 * Node-only: spawns a stdio MCP server. Loaded on demand (dynamic import) so the root entry
 * never pulls in `node:` modules. Spawning goes through the SDK, which uses `cross-spawn`
 * (`npx`, `.cmd` shims and quoting work on Windows). Only a safe default environment is
 * inherited (PATH, HOME, …) plus the server's own `env`: secrets in our process do not leak
 * into servers. Stderr lines go to the logger and are kept for error messages.
 */
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { StdioServerDefinition } from '../config/server-config.js';
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
    const stream = transport.stderr;
    let pending = '';
    stream?.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') {
          context.onStderr?.(line);
          context.logger.debug(`[${definition.name}] ${line}`, { server: definition.name });
        }
        newline = pending.indexOf('\n');
      }
    });
  }
  return transport;
}

/** The child's process id, for tests and diagnostics. */
export function stdioProcessId(transport: unknown): number | null {
  return transport instanceof StdioClientTransport ? transport.pid : null;
}
