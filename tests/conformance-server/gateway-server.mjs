#!/usr/bin/env node
// The conformance fixture behind a gateway: `createGateway` with the fixture (its URL is the
// first argument) as its only upstream, tools and prompts under their original names, so the
// official suite's server scenarios can run against the gateway exactly as against the fixture.
// Listens on 127.0.0.1, a free port, and prints {"url": …} as its first stdout line.
import { createGateway } from '@toolwire/gateway';

const upstream = process.argv[2];
if (!upstream) {
  process.stderr.write('usage: gateway-server.mjs <fixture URL>\n');
  process.exit(2);
}

const gateway = await createGateway({
  name: 'toolwire-conformance-gateway',
  version: '1.0.0',
  upstreams: { mcpServers: { fixture: { url: upstream } }, cache: 'memory' },
  naming: 'original',
  publisher: { onError: (error) => process.stderr.write(`[gateway] ${error.message}\n`) },
});

const { url } = await gateway.listen({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ url })}\n`);

const stop = async () => {
  await gateway.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
