/**
 * What `#stdio-transport` resolves to on runtimes that cannot start processes (workers, edge,
 * browsers): connecting to a stdio server fails with a `CONNECT_FAILED` that says so, and a
 * bundler for those targets never sees `child_process` or `cross-spawn`.
 */
import type { StdioServerDefinition } from '../config/server-config.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import type * as StdioTransport from '../transports/stdio-transport.js';

export const createStdioTransport: typeof StdioTransport.createStdioTransport = (
  definition: StdioServerDefinition,
) => {
  throw new ToolwireError({
    code: 'CONNECT_FAILED',
    server: definition.name,
    message: `[${definition.name}] stdio servers need a runtime that can start processes (Node.js, Bun, Deno); connect to this server over HTTP instead`,
  });
};
