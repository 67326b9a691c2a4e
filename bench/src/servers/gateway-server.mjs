// The gateway the gateway benchmark calls through: `@toolwire/gateway` with its defaults, serving
// one upstream (the minimal server, src/servers/minimal-server.mjs) over Streamable HTTP on
// 127.0.0.1, in a process of its own so that no gateway work lands on the measuring process:
//
//   node gateway-server.mjs stdio          the gateway spawns the minimal server over stdio
//   node gateway-server.mjs http <url>     the gateway connects to a minimal server at <url>
//   node gateway-server.mjs everything     the gateway spawns the reference server-everything
//                                          over stdio (a real SDK server; its tool: everything__echo)
//
// Prints {"url": …} once listening; ends (closing the gateway and its upstream) on SIGTERM or
// when stdin closes.
import { createGateway } from '@toolwire/gateway';
import { MINIMAL_SERVER, referenceServer } from '../lib/servers.mjs';

const [upstream, upstreamUrl] = process.argv.slice(2);
if (upstream !== 'stdio' && upstream !== 'everything' && !(upstream === 'http' && upstreamUrl))
  throw new Error('usage: gateway-server.mjs stdio | everything | http <upstream url>');

const servers = {
  stdio: () => ({
    minimal: { command: process.execPath, args: [MINIMAL_SERVER, 'stdio'], stderr: 'ignore' },
  }),
  http: () => ({ minimal: { url: upstreamUrl, transport: 'streamable-http' } }),
  everything: () => ({
    everything: {
      command: process.execPath,
      args: [referenceServer('everything'), 'stdio'],
      stderr: 'ignore',
    },
  }),
};

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const gateway = await createGateway({
  upstreams: {
    servers: servers[upstream](),
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
