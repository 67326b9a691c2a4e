/**
 * The gateway over stdio: a child Node process (our TypeScript sources, types stripped) serves
 * server-everything and the stdio fixture as one MCP server on its stdin/stdout; the official
 * SDK v2 client spawns it, lists and calls through it with progress, and closing stdin ends it.
 */
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { expect, it } from 'vitest';
import { everythingStdio, fixtureStdio, sourceLoaderPreload } from '../../core/test/support/index.js';

const childScript = `
const { createGateway } = await import(process.env.GATEWAY_INDEX);
const gateway = await createGateway({
  upstreams: {
    servers: JSON.parse(process.env.UPSTREAMS),
    cache: 'memory',
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  },
  publisher: { onError: () => {} },
});
await gateway.serveStdio();
process.stdin.once('end', () => gateway.close().then(() => process.exit(0)));
`;

it('serves the upstreams over stdio, forwarding progress', async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      '--conditions=@toolwire/source',
      // The publisher's sources use parameter properties, which type stripping alone refuses.
      '--experimental-transform-types',
      '--no-warnings',
      '--import',
      sourceLoaderPreload,
      '--input-type=module',
      '-e',
      childScript,
    ],
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...(process.env as Record<string, string>),
      GATEWAY_INDEX: new URL('../src/index.ts', import.meta.url).href,
      UPSTREAMS: JSON.stringify({
        everything: everythingStdio(),
        fixture: fixtureStdio({ name: 'fixture' }),
      }),
    },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: 'stdio-gateway-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`the stdio gateway did not start: ${String(error)}\n${stderr}`);
  }
  try {
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['everything__echo', 'fixture__sleep']));
    const progress: number[] = [];
    const slept = await client.callTool(
      { name: 'fixture__sleep', arguments: { ms: 30, steps: 3 } },
      { onprogress: (update) => progress.push(update.progress) },
    );
    expect(slept.content).toEqual([{ type: 'text', text: 'slept 30 ms' }]);
    expect(progress).toEqual([1, 2, 3]);
    const echo = await client.callTool({ name: 'everything__echo', arguments: { message: 'over stdio' } });
    expect(JSON.stringify(echo.content)).toContain('over stdio');
  } finally {
    await client.close();
  }
});
