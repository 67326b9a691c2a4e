/**
 * `toolwire inspect` end to end over real HTTP on 127.0.0.1: the one-time link (wrong and reused
 * tokens refused), DNS-rebinding protection (a foreign Host or Origin refused, the publisher's
 * own check), and no secret from the config in anything the page can receive. The config puts
 * secrets everywhere: client credentials (a real token endpoint: core's echo peer, which also
 * repeats the bearer token and query in its instructions), a URL query, headers, stdio arguments
 * and environment values (server-everything's `get-env` tool prints its environment). Every
 * response body — page, assets, state, search, call results, and the event stream while calls
 * run — is searched raw, URL-encoded and base64-encoded.
 */

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assertNoSecrets,
  type EchoPeer,
  everythingStdio,
  startEchoPeer,
} from '../../core/test/support/index.js';
import { type CliIO, runCli } from '../src/index.js';

const CLIENT_ID = 'inspect-agent';
const CLIENT_SECRET = "insp-Sec/r+t &é=~!*'4";
const QUERY_SECRET = 'insp-q/+k ey&=!2';
const HEADER_SECRET = 'insp-hv-70c2e9f1';
const ARGUMENT_SECRET = 'insp-arg-31d8/+ q';
const ENV_SECRET = 'insp-env-9b04c6e2';
const EVERYTHING_ENV_SECRET = 'insp-everything-env-5a1f7d3c';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request with exactly these headers (fetch would not let us forge Host). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; readMs?: number } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => {
          body += chunk;
        });
        const finish = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        response.on('end', finish);
        response.on('close', finish);
        // Event streams never end: read for a while, then hang up.
        if (options.readMs) setTimeout(() => request.destroy(), options.readMs);
      },
    );
    request.on('error', (error) => (options.readMs ? undefined : reject(error)));
    request.end(options.body);
  });
}

let directory: string;
let tokenPeer: EchoPeer;
let serverPeer: EchoPeer;
let config: string;
let link: string;
let stop: () => void;
let exit: Promise<number>;
let output = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-inspect-'));
  [tokenPeer, serverPeer] = await Promise.all([
    startEchoPeer({ mode: 'ok', requireToken: true }),
    startEchoPeer({ mode: 'ok' }),
  ]);
  config = join(directory, 'mcp.json');
  await writeFile(
    config,
    JSON.stringify({
      mcpServers: {
        crm: {
          url: tokenPeer.mcpUrl,
          auth: {
            type: 'client_credentials',
            clientId: CLIENT_ID,
            clientSecret: '${CRM_CLIENT_SECRET}',
            tokenUrl: tokenPeer.tokenUrl,
          },
        },
        search: {
          url: `${serverPeer.mcpUrl}?api_key=${encodeURIComponent(QUERY_SECRET)}`,
          headers: { 'X-Api-Key': HEADER_SECRET },
        },
        everything: everythingStdio({
          env: { GZIP_ALLOWED_DOMAINS: 'allowed.invalid', SERVICE_TOKEN: EVERYTHING_ENV_SECRET },
        }),
        missing: {
          command: 'toolwire-no-such-command-51c9',
          args: ['--api-key', ARGUMENT_SECRET],
          env: { API_KEY: ENV_SECRET },
        },
      },
    }),
  );
  const io: CliIO = {
    stdout: { write: (text: string) => (output += text) },
    stderr: { write: (text: string) => (output += text) },
    isTTY: false,
    env: { ...process.env, CRM_CLIENT_SECRET: CLIENT_SECRET, TOOLWIRE_CACHE_DIR: join(directory, 'cache') },
    cwd: directory,
  };
  const stopSignal = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const listening = new Promise<string>((resolve) => {
    exit = runCli(['inspect', '--config', config], io, {
      stopSignal,
      onListening: (url) => resolve(url as string),
    });
    void exit.then(() => resolve(''));
  });
  link = await listening;
}, 90_000);

afterAll(async () => {
  stop?.();
  await exit;
  await tokenPeer?.close();
  await serverPeer?.close();
  if (directory) await rm(directory, { recursive: true, force: true });
});

const secrets = [
  { secret: CLIENT_SECRET, user: CLIENT_ID },
  QUERY_SECRET,
  HEADER_SECRET,
  ARGUMENT_SECRET,
  ENV_SECRET,
  EVERYTHING_ENV_SECRET,
];

describe('toolwire inspect', () => {
  let cookie = '';
  const bodies: string[] = [];

  it('prints a one-time link on 127.0.0.1 and a free port', () => {
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    expect(output).toContain('4 servers');
    expect(output).toContain('The link works once');
  });

  it('refuses a wrong token, then exchanges the right one once for a cookie', async () => {
    const url = new URL(link);
    const wrong = await raw(`${url.origin}/?token=${'x'.repeat(43)}`);
    expect(wrong.status).toBe(403);
    expect((await raw(`${url.origin}/api/state`)).status).toBe(401);
    const exchanged = await raw(link);
    expect(exchanged.status).toBe(303);
    expect(exchanged.headers.location).toBe('/');
    const setCookie = String(exchanged.headers['set-cookie']);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    cookie = setCookie.split(';')[0] as string;
    const reused = await raw(link);
    expect(reused.status).toBe(403);
    expect(reused.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a foreign Host or Origin even with a valid session (DNS rebinding)', async () => {
    const { origin, port } = new URL(link);
    expect((await raw(`${origin}/`, { headers: { cookie } })).status).toBe(200);
    expect((await raw(`${origin}/`, { headers: { cookie, host: `localhost:${port}` } })).status).toBe(200);
    const rebound = await raw(`${origin}/api/state`, {
      headers: { cookie, host: `attacker.example:${port}` },
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('servers');
    const foreign = await raw(`${origin}/api/call`, {
      method: 'POST',
      headers: { cookie, origin: 'http://attacker.example', 'content-type': 'application/json' },
      body: JSON.stringify({ tool: 'search__echo', arguments: { message: 'x' } }),
    });
    expect(foreign.status).toBe(403);
  });

  it('sends the page no secret from the config, in any encoding, whatever it asks for', async () => {
    const { origin } = new URL(link);
    const get = async (path: string) => {
      const response = await raw(`${origin}${path}`, { headers: { cookie } });
      expect(response.status, path).toBe(200);
      bodies.push(response.body);
      return response.body;
    };
    const post = async (path: string, body: unknown) => {
      const response = await raw(`${origin}${path}`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      bodies.push(response.body);
      return JSON.parse(response.body) as {
        ok: boolean;
        result?: { content: { text?: string }[] };
        error?: { code: string };
      };
    };
    // The event stream is open while the calls run, so their events are searched too.
    const stream = raw(`${origin}/api/events`, { headers: { cookie }, readMs: 8_000 });
    const page = await get('/');
    for (const asset of page.matchAll(/\.\/assets\/([\w.-]+)/g)) await get(`/assets/${asset[1]}`);
    await get('/assets/app.js');
    const state = JSON.parse(await get('/api/state')) as {
      servers: { name: string; status: string; error?: { message: string } }[];
    };
    expect(state.servers.map((server) => [server.name, server.status])).toEqual([
      ['crm', 'active'],
      ['search', 'active'],
      ['everything', 'active'],
      ['missing', 'failed'],
    ]);
    await get('/api/search?q=echo');
    await get('/api/search?q=');

    const environment = await post('/api/call', { tool: 'everything__get-env', arguments: {} });
    expect(environment.ok).toBe(true);
    // The tool printed its environment, secret included; the page gets it redacted.
    const printed = environment.result?.content.map((block) => block.text ?? '').join('\n') ?? '';
    expect(printed).toContain('SERVICE_TOKEN');
    expect(printed).toContain('[redacted]');
    expect((await post('/api/call', { tool: 'crm__echo', arguments: { message: 'hello crm' } })).ok).toBe(
      true,
    );
    expect(
      (await post('/api/call', { tool: 'search__echo', arguments: { message: 'hello search' } })).ok,
    ).toBe(true);
    // A tool of the server that failed: its error says why the server failed (checked below for secrets).
    expect((await post('/api/call', { tool: 'missing__anything', arguments: {} })).error?.code).toBe(
      'CONNECT_FAILED',
    );
    expect((await post('/api/refresh', { server: 'missing' })).ok).toBe(true);
    expect((await post('/api/refresh', { server: 'crm' })).ok).toBe(true);

    const events = (await stream).body;
    bodies.push(events);
    expect(events).toContain('event: state');
    expect(events).toContain('event: call');
    expect(events).toContain('event: stats');
    expect(events).toContain('event: server');
    const everything = bodies.join('\n');
    // What the secrets would have been in, is there: the crm token's lifetime, its instructions…
    expect(everything).toContain('client_credentials');
    expect(everything).toContain('Connected as');
    assertNoSecrets(everything, [...secrets, ...tokenPeer.issuedTokens]);
  });

  it('stops on the stop signal with exit code 0', async () => {
    stop();
    expect(await exit).toBe(0);
    expect(output).toContain('toolwire inspect: stopping');
  });
});

it('--allowed-host adds a host name the page may be reached by; others stay refused', async () => {
  const small = join(tmpdir(), `toolwire-inspect-allow-${process.pid}.json`);
  await writeFile(
    small,
    JSON.stringify({ mcpServers: { idle: { url: 'http://127.0.0.1:9/mcp', disabled: true } } }),
  );
  let text = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (text += chunk) },
    stderr: { write: (chunk: string) => (text += chunk) },
    isTTY: false,
    env: process.env,
    cwd: tmpdir(),
  };
  let stopSmall = () => {};
  const stopSignal = new Promise<void>((resolve) => {
    stopSmall = resolve;
  });
  let code: Promise<number> = Promise.resolve(-1);
  const url = await new Promise<string>((resolve) => {
    code = runCli(['inspect', '--config', small, '--allowed-host', 'tunnel.example'], io, {
      stopSignal,
      onListening: (listening) => resolve(listening as string),
    });
  });
  try {
    const { port, pathname, search } = new URL(url);
    const viaTunnel = await raw(`http://127.0.0.1:${port}${pathname}${search}`, {
      headers: { host: `tunnel.example:${port}` },
    });
    expect(viaTunnel.status).toBe(303);
    const cookie = String(viaTunnel.headers['set-cookie']).split(';')[0] as string;
    const state = await raw(`http://127.0.0.1:${port}/api/state`, {
      headers: { cookie, host: `tunnel.example:${port}` },
    });
    expect(state.status).toBe(200);
    const elsewhere = await raw(`http://127.0.0.1:${port}/api/state`, {
      headers: { cookie, host: `other.example:${port}` },
    });
    expect(elsewhere.status).toBe(403);
  } finally {
    stopSmall();
    expect(await code).toBe(0);
    await rm(small, { force: true });
  }
});

it('rejects a bad --port as a usage error (exit code 2)', async () => {
  let text = '';
  const io: CliIO = {
    stdout: { write: (chunk: string) => (text += chunk) },
    stderr: { write: (chunk: string) => (text += chunk) },
    isTTY: false,
    env: process.env,
    cwd: tmpdir(),
  };
  expect(await runCli(['inspect', '--port', 'eighty'], io)).toBe(2);
  expect(text).toContain('--port');
});
