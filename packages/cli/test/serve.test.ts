/**
 * `toolwire serve`: a module's exported tools (typed, LangChain, AI SDK) published over HTTP on
 * loopback and over stdio, then consumed by a real registry; the allowed Host / Origin flags
 * checked with raw requests; and the exit codes its help promises (2 for bad usage or invalid
 * configuration, 1 for a server that cannot start).
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '@toolwire/core';
import { describe, expect, it } from 'vitest';
import { type CliIO, runCli } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const toolsModule = join(here, 'fixtures', 'tools-module.mjs');

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
    cwd: here,
    output: () => text,
  };
}

describe('toolwire serve', () => {
  it('publishes every exported tool over HTTP on 127.0.0.1 until stopped', async () => {
    const io = captureIO();
    let stop = () => {};
    const stopSignal = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let listening: (url: string | undefined) => void = () => {};
    const url = new Promise<string | undefined>((resolve) => {
      listening = resolve;
    });
    const exit = runCli(['serve', toolsModule], io, { stopSignal, onListening: listening });
    const endpoint = await url;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(io.output()).toContain('3 tools at');

    const registry = await createRegistry({
      mcpServers: { served: { url: endpoint as string } },
      cache: 'memory',
    });
    try {
      expect(
        registry
          .tools()
          .map((tool) => tool.serverToolName)
          .sort(),
      ).toEqual(['count_letters', 'greet', 'shout']);
      expect((await registry.callTool('served__greet', { who: 'Ada' })).text).toBe('Hello, Ada!');
      expect((await registry.callTool('served__shout', { text: 'quiet' })).text).toBe('QUIET');
      expect((await registry.callTool('served__count_letters', { word: 'toolwire' })).text).toContain(
        '"letters":8',
      );
    } finally {
      await registry.close();
    }
    stop();
    expect(await exit).toBe(0);
  });

  it('publishes over stdio when a client spawns it', async () => {
    const bin = join(here, '..', 'dist', 'bin.js');
    const registry = await createRegistry({
      mcpServers: {
        served: {
          command: process.execPath,
          args: [bin, 'serve', toolsModule, '--stdio', '--include', 'g*'],
        },
      },
      cache: 'memory',
    });
    try {
      expect(registry.server('served')?.status).toBe('active');
      expect(registry.tools().map((tool) => tool.name)).toEqual(['served__greet']);
      expect((await registry.callTool('served__greet', { who: 'stdio' })).text).toBe('Hello, stdio!');
    } finally {
      await registry.close();
    }
  });

  it('exits 2 with a clear message for a module without tools or a missing module', async () => {
    const empty = captureIO();
    expect(await runCli(['serve', join(here, 'fixtures', 'no-tools-module.mjs')], empty)).toBe(2);
    expect(empty.output()).toContain('exports no tools');
    const missing = captureIO();
    expect(await runCli(['serve', './does-not-exist.mjs'], missing)).toBe(2);
    expect(missing.output()).toContain('Cannot load ./does-not-exist.mjs');
  });

  it('exits 2 for invalid configuration: a tool that cannot be published, another interface without --allowed-host, a selection that matches nothing', async () => {
    const invalid = captureIO();
    expect(await runCli(['serve', join(here, 'fixtures', 'invalid-tool-module.mjs')], invalid)).toBe(2);
    expect(invalid.output()).toContain('Tool name "not valid" is not valid');
    const exposed = captureIO();
    expect(await runCli(['serve', toolsModule, '--host', '0.0.0.0'], exposed)).toBe(2);
    expect(exposed.output()).toContain('--allowed-host');
    const nothing = captureIO();
    expect(await runCli(['serve', toolsModule, '--include', 'no_such_*'], nothing)).toBe(2);
    expect(nothing.output()).toContain('No tool is left to publish');
  });

  it('exits 1 with a clear message when the port is taken', async () => {
    const occupier = createServer();
    await new Promise<void>((resolve) => occupier.listen(0, '127.0.0.1', resolve));
    const port = (occupier.address() as AddressInfo).port;
    try {
      const io = captureIO();
      expect(await runCli(['serve', toolsModule, '--port', String(port)], io)).toBe(1);
      expect(io.output()).toContain(`Cannot listen on 127.0.0.1:${port}: the address is already in use`);
    } finally {
      await new Promise<void>((resolve) => occupier.close(() => resolve()));
    }
  });

  it('--allowed-host and --allowed-origin set the names accepted in Host and Origin', async () => {
    const io = captureIO();
    let stop = () => {};
    const stopSignal = new Promise<void>((resolve) => {
      stop = resolve;
    });
    let listening: (url: string | undefined) => void = () => {};
    const url = new Promise<string | undefined>((resolve) => {
      listening = resolve;
    });
    const argv = ['serve', toolsModule, '--allowed-host', 'tools.internal', '--allowed-host', 'localhost'];
    const exit = runCli([...argv, '--allowed-origin', 'https://app.example.com'], io, {
      stopSignal,
      onListening: listening,
    });
    const endpoint = new URL(
      (await Promise.race([
        url,
        exit.then((code) => {
          throw new Error(`toolwire serve exited ${code}: ${io.output()}`);
        }),
      ])) as string,
    );
    const status = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-11-25',
            capabilities: {},
            clientInfo: { name: 't', version: '1' },
          },
        });
        const sent = httpRequest(
          endpoint,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              accept: 'application/json, text/event-stream',
              ...headers,
            },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        sent.on('error', reject);
        sent.end(body);
      });
    expect(await status({ host: `tools.internal:${endpoint.port}` })).toBe(200);
    expect(await status({ host: `127.0.0.1:${endpoint.port}` })).toBe(403);
    expect(await status({ host: 'localhost', origin: 'https://app.example.com' })).toBe(200);
    expect(await status({ host: 'localhost', origin: 'https://evil.example.com' })).toBe(403);
    stop();
    expect(await exit).toBe(0);
  });
});
