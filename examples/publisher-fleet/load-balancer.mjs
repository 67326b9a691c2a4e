// HAProxy in front of the instances: round robin per request and no stickiness of any kind (any
// instance can serve any request), streaming responses, a health check on /health, and a retry
// on another instance when one refuses connections. The config goes to a temp dir; it listens on
// 127.0.0.1. Uses Debian's haproxy (`apt-get install haproxy`), or HAPROXY_PATH.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haproxyPath() {
  return [process.env.HAPROXY_PATH, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find(
    (candidate) => candidate && existsSync(candidate),
  );
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function config(port, instances) {
  return `defaults
  mode http
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  retries 2
  option redispatch 1
frontend mcp
  bind 127.0.0.1:${port}
  default_backend publishers
backend publishers
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health hdr Host 127.0.0.1
  http-response set-header x-served-by %s
${instances.map(({ name, port: instancePort }) => `  server ${name} 127.0.0.1:${instancePort} check inter 500ms fall 2 rise 1`).join('\n')}
`;
}

/** Starts HAProxy for `instances` ({ name, port }[]); resolves once it accepts connections. */
export async function startLoadBalancer(instances, port) {
  const binary = haproxyPath();
  if (!binary) throw new Error('haproxy is not installed: apt-get install -y haproxy (or set HAPROXY_PATH)');
  const dir = await mkdtemp(join(tmpdir(), 'toolwire-fleet-example-'));
  const listenPort = port || (await freePort());
  await writeFile(join(dir, 'haproxy.cfg'), config(listenPort, instances));
  const child = spawn(binary, ['-f', join(dir, 'haproxy.cfg'), '-db'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`haproxy exited (${code})`)));
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port: listenPort });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        setTimeout(attempt, 25);
      });
    };
    attempt();
  });
  return {
    url: `http://127.0.0.1:${listenPort}/mcp`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
