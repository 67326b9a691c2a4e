// The gateway the gateway benchmark calls through: `@toolwire/gateway` with its defaults, serving
// one upstream (the minimal server, src/servers/minimal-server.mjs) over Streamable HTTP on
// 127.0.0.1, in a process of its own so that no gateway work lands on the measuring process:
//
//   node gateway-server.mjs stdio          the gateway spawns the minimal server over stdio
//   node gateway-server.mjs http <url>     the gateway connects to a minimal server at <url>
//
// Prints {"url": …} once listening; ends (closing the gateway and its upstream) on SIGTERM or
// when stdin closes.
import { createGateway } from '@toolwire/gateway';
import { MINIMAL_SERVER } from '../lib/servers.mjs';

const [upstream, upstreamUrl] = process.argv.slice(2);
if (upstream !== 'stdio' && !(upstream === 'http' && upstreamUrl))
  throw new Error('usage: gateway-server.mjs stdio | http <upstream url>');

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const gateway = await createGateway({
  upstreams: {
    servers: {
      minimal:
        upstream === 'stdio'
          ? { command: process.execPath, args: [MINIMAL_SERVER, 'stdio'], stderr: 'ignore' }
          : { url: upstreamUrl, transport: 'streamable-http' },
    },
    cache: 'none',
    logger: silent,
  },
  publisher: { onError: () => {} },
});
const { url } = await gateway.listen();

let closing;
const stop = () => {
  closing ??= gateway.close().finally(() => process.exit(0));
  return closing;
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url })}\n`);
