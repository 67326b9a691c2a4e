/**
 * `toolwire serve`: a module's exported tools (typed, LangChain, AI SDK) published over HTTP on
 * loopback and over stdio, then consumed by a real registry.
 */
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
});
