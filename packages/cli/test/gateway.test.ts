/**
 * `toolwire gateway --config gateway.json`: the config's upstreams (server-everything over stdio)
 * served as one MCP server on 127.0.0.1, with the `gateway` section's exposure and naming; the
 * official SDK v2 client lists and calls through it, `/health` answers, and a bad `gateway`
 * section is exit code 2 naming each problem.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio } from '../../core/test/support/index.js';
import { type CliIO, runCli } from '../src/index.js';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-gateway-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

function captureIO(): CliIO & { output(): string } {
  let text = '';
  const write = (chunk: string) => {
    text += chunk;
  };
  return {
    stdout: { write },
    stderr: { write },
    isTTY: false,
    env: process.env,
    cwd: directory,
    output: () => text,
  };
}

async function writeConfig(name: string, config: unknown): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, JSON.stringify(config));
  return path;
}

describe('toolwire gateway', () => {
  it('serves the configured upstreams as one MCP server, with health, until stopped', async () => {
    const config = await writeConfig('gateway.json', {
      mcpServers: { everything: everythingStdio() },
      gateway: {
        name: 'team-gateway',
        expose: { include: ['everything__echo'] },
        naming: { prefixes: { everything: 'ev_' } },
        policy: {
          maxArgumentBytes: 200,
          rateLimits: [{ name: 'echo-per-caller', per: 'principal', limit: 1, windowMs: 600_000 }],
          audit: true,
        },
      },
    });
    const io = captureIO();
    let stop = () => {};
    const stopSignal = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let listening: (url: string | undefined) => void = () => {};
    const url = new Promise<string | undefined>((resolve) => {
      listening = resolve;
    });
    const exit = runCli(['gateway', '--config', config], io, { stopSignal, onListening: listening });
    const endpoint = (await Promise.race([
      url,
      exit.then((code) => `exited ${code}: ${io.output()}`),
    ])) as string;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(io.output()).toContain('1 upstreams, 1 tools at');

    const client = new Client({ name: 'cli-gateway-test', version: '1.0.0' });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(endpoint)));
      expect(client.getServerVersion()?.name).toBe('team-gateway');
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['ev_echo']);
      const result = await client.callTool({
        name: 'ev_echo',
        arguments: { message: 'through the gateway' },
      });
      expect(JSON.stringify(result.content)).toContain('through the gateway');
      const tooBig = await client.callTool({ name: 'ev_echo', arguments: { message: 'x'.repeat(300) } });
      expect(tooBig.isError).toBe(true);
      expect(JSON.stringify(tooBig.content)).toContain('maxArgumentBytes (200)');
      // The refused call did not count: this is the second call the limit sees.
      const limited = await client.callTool({ name: 'ev_echo', arguments: { message: 'again' } });
      expect(limited.isError).toBe(true);
      expect(JSON.stringify(limited.content)).toMatch(/Rate limit .{0,2}echo-per-caller/);
      expect(io.output()).toContain('"tool":"everything__echo","outcome":"ok"');
      expect(io.output()).toContain('"outcome":"denied","errorCode":"POLICY_DENIED"');
    } finally {
      await client.close();
    }
    const health = await fetch(new URL('/health', endpoint));
    expect(health.status).toBe(200);
    await health.body?.cancel();

    stop();
    expect(await exit).toBe(0);
  });

  it('refuses a gateway section it cannot read with exit code 2, naming each problem', async () => {
    const config = await writeConfig('bad-gateway.json', {
      mcpServers: { everything: everythingStdio() },
      gateway: {
        mode: 'everything',
        namming: 'original',
        policy: { allow: ['x'], audits: true },
        requiredUpstreams: 'everything',
      },
    });
    const io = captureIO();
    expect(await runCli(['gateway', '--config', config], io)).toBe(2);
    expect(io.output()).toContain('gateway.mode');
    expect(io.output()).toContain('gateway.namming');
    expect(io.output()).toContain('gateway.policy.audits');
    expect(io.output()).toContain('gateway.requiredUpstreams: expected a list of upstream server names');
  });

  it('refuses upstream token pass-through (the MCP spec forbids it), per-user auth without a store, and bad stores', async () => {
    const passThrough = await writeConfig('pass-through-gateway.json', {
      mcpServers: { everything: everythingStdio() },
      gateway: { upstreamAuth: { everything: { kind: 'pass-through' } } },
    });
    const io = captureIO();
    expect(await runCli(['gateway', '--config', passThrough], io)).toBe(2);
    expect(io.output()).toContain('CONFIG_INVALID');
    expect(io.output()).toContain('upstreamAuth.everything.kind');
    expect(io.output()).toContain("kind: 'token-exchange'");

    const perUser = await writeConfig('per-user-gateway.json', {
      mcpServers: { everything: everythingStdio() },
      gateway: {
        upstreamAuth: {
          everything: { kind: 'per-user' },
          other: { kind: 'token-exchange', clientSecret: '${TOOLWIRE_TEST_UNSET_SECRET}' },
        },
      },
    });
    const perUserIO = captureIO();
    expect(await runCli(['gateway', '--config', perUser], perUserIO)).toBe(2);
    expect(perUserIO.output()).toContain(
      'gateway.upstreamAuth.everything.store: "per-user" needs a credential store',
    );
    expect(perUserIO.output()).toContain('gateway.upstreamAuth.other.clientSecret');

    const badStores = await writeConfig('bad-stores-gateway.json', {
      mcpServers: { everything: everythingStdio() },
      gateway: {
        upstreamAuth: { everything: { kind: 'per-user', store: { type: 'redis', url: 'http://nope' } } },
        policy: { rateLimitStore: { type: 'disk' }, rateLimitStoreFailure: 'sometimes' },
      },
    });
    const badStoresIO = captureIO();
    expect(await runCli(['gateway', '--config', badStores], badStoresIO)).toBe(2);
    expect(badStoresIO.output()).toContain(
      'gateway.upstreamAuth.everything.store.url: expected a redis:// or rediss:// URL',
    );
    expect(badStoresIO.output()).toContain(
      'gateway.policy.rateLimitStore.type: expected "memory" or "redis"',
    );
    expect(badStoresIO.output()).toContain('gateway.policy.rateLimitStoreFailure');
  });
});
