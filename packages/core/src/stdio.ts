/**
 * @toolwire/core/stdio: the Node-only stdio transport, for code that builds its own SDK clients.
 * The registry loads it on demand; importing the root entry never pulls in `node:` modules.
 */
export { createStdioTransport } from './transports/stdio-transport.js';
export type { TransportContext } from './transports/transport-context.js';
