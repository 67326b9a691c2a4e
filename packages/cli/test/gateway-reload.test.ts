/**
 * `toolwire gateway` reloads its config file on SIGHUP, run as a user runs it: the CLI spawned
 * as a child process (the built executable), two upstreams (our publisher on loopback HTTP), the
 * official SDK v2 client downstream. The client's session and a call in flight survive the
 * reload, `list_changed` announces the new upstream's tools, and a broken file or a restart-only
 * change is reported while the running configuration keeps serving.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { waitFor } from '../../core/test/support/index.js';
import { type GatedUpstream, startGatedUpstream } from '../../gateway/test/support/gated-upstream.js';
import { type CliIO, runCli } from '../src/index.js';
import { type GatewayProcess, startGatewayProcess } from './support/gateway-process.js';

let directory: string;
let alpha: GatedUpstream;
let beta: GatedUpstream;
let cli: GatewayProcess | undefined;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'toolwire-cli-gateway-reload-'));
  [alpha, beta] = await Promise.all([startGatedUpstream('alpha'), startGatedUpstream('beta')]);
});

afterAll(async () => {
  await cli?.stop();
  await Promise.all([alpha?.close(), beta?.close()]);
  await rm(directory, { recursive: true, force: true });
});

const text = (result: { content?: unknown }) =>
  ((result.content as { type: string; text: string }[])[0] as { text: string }).text;

it('reloads the config on SIGHUP without dropping the session, and keeps serving after a bad one', async () => {
  const path = join(directory, 'gateway.json');
  const write = (config: unknown) => writeFile(path, JSON.stringify(config));
  await write({
    mcpServers: { alpha: { url: alpha.url, type: 'http' } },
    gateway: { name: 'reloading', requiredUpstreams: ['alpha'] },
  });
  cli = await startGatewayProcess(path);
  const endpoint = cli.url;
  const hangUp = () => process.kill(cli?.pid as number, 'SIGHUP');

  const seen: string[][] = [];
  const client = new Client(
    { name: 'cli-reload-test', version: '1.0.0' },
    {
      listChanged: {
        tools: { debounceMs: 0, onChanged: (_error, tools) => tools && seen.push(tools.map((t) => t.name)) },
      },
    },
  );
  const transport = new StreamableHTTPClientTransport(new URL(endpoint));
  await client.connect(transport);
  try {
    const session = transport.sessionId;
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual([
      'alpha__hold',
      'alpha__whoami',
    ]);
    const running = client.callTool({ name: 'alpha__hold', arguments: {} });
    await alpha.holding();

    await write({
      mcpServers: { alpha: { url: alpha.url, type: 'http' }, beta: { url: beta.url, type: 'http' } },
      gateway: { name: 'reloading', requiredUpstreams: ['alpha', 'beta'] },
    });
    hangUp();
    await cli.waitForOutput(/reloaded .*2 upstreams, 4 tools/, 30_000);
    await waitFor(() => seen.some((names) => names.includes('beta__whoami')), {
      message: 'a list_changed naming beta__whoami',
    });
    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
    alpha.release();
    expect(text(await running)).toBe('released by alpha');
    expect(transport.sessionId).toBe(session);

    // A file that does not read: reported, the running configuration stays.
    await write({
      mcpServers: { broken: { url: 'not a url', type: 'http' } },
      gateway: { name: 'reloading' },
    });
    hangUp();
    await cli.waitForOutput(/reload of .* rejected/, 30_000);
    // The problem is named on the lines that follow, by its path in the file.
    await cli.waitForOutput(/broken\.url/, 30_000);
    // A setting only a restart applies: reported by name.
    await write({
      mcpServers: { beta: { url: beta.url, type: 'http' } },
      gateway: { name: 'renamed' },
    });
    hangUp();
    await cli.waitForOutput(/gateway\.name: changed, but applies only when the gateway starts/, 30_000);

    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
    expect(text(await client.callTool({ name: 'alpha__whoami', arguments: {} }))).toBe('alpha');
    const ready = await fetch(new URL('/ready', endpoint));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', upstreams: 2 });
  } finally {
    await client.close();
  }
  await cli.stop();
  expect(cli.output.join('\n')).not.toContain('Error:');
}, 120_000);

it('with --watch, reloads when the config file changes', async () => {
  const path = join(directory, 'watched.json');
  const write = (servers: Record<string, GatedUpstream>) =>
    writeFile(
      path,
      JSON.stringify({
        mcpServers: Object.fromEntries(
          Object.entries(servers).map(([name, upstream]) => [name, { url: upstream.url, type: 'http' }]),
        ),
      }),
    );
  await write({ alpha });
  let output = '';
  const append = (chunk: string) => {
    output += chunk;
  };
  const io: CliIO = {
    stdout: { write: append },
    stderr: { write: append },
    isTTY: false,
    env: process.env,
    cwd: directory,
  };
  let stop = () => {};
  const stopSignal = new Promise<void>((resolve) => {
    stop = resolve;
  });
  let listening: (url: string | undefined) => void = () => {};
  const url = new Promise<string | undefined>((resolve) => {
    listening = resolve;
  });
  const exit = runCli(['gateway', '--config', path, '--watch'], io, { stopSignal, onListening: listening });
  const endpoint = (await Promise.race([url, exit.then((code) => `exited ${code}: ${output}`)])) as string;
  expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  const client = new Client({ name: 'cli-watch-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint)));
  try {
    await write({ alpha, beta });
    await waitFor(() => output.includes('2 upstreams, 4 tools'), { message: `a reload in: ${output}` });
    expect(text(await client.callTool({ name: 'beta__whoami', arguments: {} }))).toBe('beta');
  } finally {
    await client.close();
  }
  stop();
  expect(await exit).toBe(0);
}, 120_000);
