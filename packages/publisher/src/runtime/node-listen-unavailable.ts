/**
 * What `#node-listen` resolves to outside Node (workers, edge, browsers): `listen()` fails with
 * a `CONFIG_INVALID` that points at `publisher.fetch`, and a bundler for those targets never
 * sees `node:http`.
 */
import { ToolwireError } from '@toolwire/core';
import type * as NodeListen from '../http/node-listen.js';

export const listenNode: typeof NodeListen.listenNode = async () => {
  throw new ToolwireError({
    code: 'CONFIG_INVALID',
    message:
      'listen() needs Node.js (node:http); on this runtime serve publisher.fetch instead (export default { fetch: publisher.fetch })',
  });
};
