/**
 * What `#serve-stdio` resolves to outside Node (workers, edge, browsers): `serveStdio()` fails
 * with a `CONFIG_INVALID`, and a bundler for those targets never sees the SDK's stdio transport.
 */
import { ToolwireError } from '@toolwire/core';
import type * as ServeStdio from '../server/serve-stdio.js';

export const startStdio: typeof ServeStdio.startStdio = () => {
  throw new ToolwireError({
    code: 'CONFIG_INVALID',
    message:
      'serveStdio() needs a runtime with standard input and output (Node.js, Bun, Deno); serve publisher.fetch instead',
  });
};
