// HAProxy from the distribution (`/usr/sbin/haproxy`, or HAPROXY_PATH) as the fleet's load
// balancer: round robin per request, no stickiness of any kind, a health check (`/health`, or a
// gateway's `/ready`), and a retry on another instance when one refuses connections. Every
// response names the instance that served it in `x-served-by`, so tests can see where each
// request went. The config is written to a temp dir; it binds 127.0.0.1 on a free port.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The HAProxy binary, or `undefined` when this machine has none. */
export function haproxyPath() {
  const candidates = [process.env.HAPROXY_PATH, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

/** A free TCP port on 127.0.0.1 (picked by the OS, then released for the caller to bind). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The HAProxy configuration for `backends` ({ name, port }[]) behind 127.0.0.1:`port`, each
 * checked with `GET checkPath` (an instance answering anything but 2xx/3xx gets no traffic).
 */
export function haproxyConfig(port, backends, checkPath = '/health') {
  return [
    'global',
    '  maxconn 2048',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 120s',
    '  timeout server 120s',
    '  timeout http-keep-alive 10s',
    // A health check's answer may take a while on a busy machine: without this, the check gives
    // up after `inter` (500 ms) and two slow answers take a live instance out (503s). A dead
    // instance still fails its check at once (connection refused).
    '  timeout check 5s',
    // A connection refused (an instance that died) is retried once on another instance.
    '  retries 2',
    '  option redispatch 1',
    'frontend mcp',
    `  bind 127.0.0.1:${port}`,
    '  default_backend publishers',
    'backend publishers',
    '  balance roundrobin',
    '  option httpchk',
    `  http-check send meth GET uri ${checkPath} hdr Host 127.0.0.1`,
    '  http-response set-header x-served-by %s',
    ...backends.map(
      (backend) => `  server ${backend.name} 127.0.0.1:${backend.port} check inter 500ms fall 2 rise 1`,
    ),
    '',
  ].join('\n');
}

function waitForPort(port, child) {
  return new Promise((resolve, reject) => {
    let done = false;
    const exited = (code) => {
      if (done) return;
      done = true;
      reject(new Error(`haproxy exited (${code}) before listening on ${port}`));
    };
    child.once('exit', exited);
    const attempt = () => {
      if (done) return;
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        done = true;
        child.off('exit', exited);
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/**
 * Starts HAProxy in front of `backends`. Returns its URL base (`http://127.0.0.1:<port>`) and
 * `stop()`, which ends the process and removes the temp dir.
 */
export async function startHAProxy(backends, checkPath = '/health') {
  const binary = haproxyPath();
  if (!binary) throw new Error('haproxy is not installed (apt-get install -y haproxy)');
  const dir = await mkdtemp(join(tmpdir(), 'toolwire-haproxy-'));
  const port = await freePort();
  const file = join(dir, 'haproxy.cfg');
  await writeFile(file, haproxyConfig(port, backends, checkPath));
  const child = spawn(binary, ['-f', file, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${error.message}\n${stderr}`);
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
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
