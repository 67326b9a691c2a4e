// The gateway the gateway benchmark calls through: `@toolwire/gateway` with its defaults, serving
// one upstream (the minimal server, src/servers/minimal-server.mjs) over Streamable HTTP on
// 127.0.0.1, in a process of its own so that no gateway work lands on the measuring process:
//
//   node gateway-server.mjs stdio          the gateway spawns the minimal server over stdio
//   node gateway-server.mjs http <url>     the gateway connects to a minimal server at <url>
//   node gateway-server.mjs everything     the gateway spawns the reference server-everything
//                                          over stdio (a real SDK server; its tool: everything__echo)
//   node gateway-server.mjs stdio --work-ms N   the spawned minimal server answers each call after
//                                          a timer of N ms (an upstream doing work; over HTTP, the
//                                          server at <url> is started with that option instead)
//   node gateway-server.mjs http <url> --fetch global   the registry is given the global `fetch`
//                                          (undici) instead of core's default on Node (node:http)
//
// Prints {"url": …} once listening; ends (closing the gateway and its upstream) on SIGTERM or
// when stdin closes.
import { parseArgs } from 'node:util';
import { createGateway } from '@toolwire/gateway';
import { MINIMAL_SERVER, referenceServer, workArguments } from '../lib/servers.mjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { 'work-ms': { type: 'string', default: '0' }, fetch: { type: 'string', default: 'default' } },
});
const [upstream, upstreamUrl] = positionals;
if (upstream !== 'stdio' && upstream !== 'everything' && !(upstream === 'http' && upstreamUrl))
  throw new Error('usage: gateway-server.mjs stdio [--work-ms N] | everything | http <upstream url>');

const servers = {
  stdio: () => ({
    minimal: {
      command: process.execPath,
      args: [MINIMAL_SERVER, 'stdio', ...workArguments(Number(values['work-ms']))],
      stderr: 'ignore',
    },
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
    ...(values.fetch === 'global' ? { fetch: globalThis.fetch } : {}),
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
