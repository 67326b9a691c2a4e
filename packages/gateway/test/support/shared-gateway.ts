/**
 * The most common gateway set-up in these tests: a gateway over the given upstream servers (memory
 * cache, silent logs), one set of upstream connections for every caller (`upstreamSessions:
 * 'shared'`), publisher errors swallowed, listening on 127.0.0.1.
 */
import { type ServerConfigInput, silentLogger } from '@toolwire/core';
import { createGateway, type Gateway } from '../../src/index.js';

export async function startSharedGateway(
  servers: Record<string, ServerConfigInput>,
): Promise<{ gateway: Gateway; url: string }> {
  const gateway = await createGateway({
    upstreams: { servers, cache: 'memory', logger: silentLogger },
    upstreamSessions: 'shared',
    publisher: { onError: () => {} },
  });
  const { url } = await gateway.listen();
  return { gateway, url };
}
