/**
 * `toolwire serve <module>`: publishes the tools a module exports (LangChain tools, AI SDK tools,
 * `defineTool` tools; named exports and/or a default export that is a tool, a list or a record)
 * as an MCP server, over Streamable HTTP on 127.0.0.1 (default) or over stdio. Runs until
 * SIGINT/SIGTERM (HTTP) or until the client closes stdin (stdio); shutdown drains running calls.
 */
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createPublisher, isPublishableTool, type Publisher, type ToolRecord } from '@toolwire/publisher';
import type { CliIO, Style } from '../output/terminal.js';
import { UsageError } from './usage-error.js';

export interface ServeCommandOptions {
  module: string;
  stdio: boolean;
  host: string | undefined;
  port: number | undefined;
  name: string | undefined;
  include: string[] | undefined;
  exclude: string[] | undefined;
  /** Resolves when the server should stop (tests); default: SIGINT or SIGTERM. */
  stopSignal?: Promise<void>;
  /** Called once the server is serving (tests read the URL from here or from stderr). */
  onListening?: (url: string | undefined) => void;
}

export async function serveCommand(io: CliIO, style: Style, options: ServeCommandOptions): Promise<number> {
  const path = resolve(io.cwd, options.module);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`Cannot load ${options.module}: ${(error as Error).message}`);
  }
  const tools = collectTools(exports);
  if (Object.keys(tools).length === 0) {
    throw new UsageError(
      `${options.module} exports no tools. Export LangChain tools, AI SDK tools or defineTool() tools ` +
        '(named exports, or a default export that is a tool, a list or a record of tools).',
    );
  }
  const publisher: Publisher = createPublisher({
    name: options.name ?? basename(path, extname(path)),
    version: '0.0.0',
    tools,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    onError: (error) => io.stderr.write(`${style.red('error:')} ${error.message}\n`),
  });
  const published = await publisher.ready();
  const names = published.map((tool) => tool.name).join(', ');
  const stop = options.stopSignal ?? untilSignal();

  if (options.stdio) {
    // stdout carries the protocol: everything human goes to stderr.
    const server = await publisher.serveStdio();
    io.stderr.write(`toolwire serve: ${published.length} tools over stdio (${names})\n`);
    options.onListening?.(undefined);
    await Promise.race([stop, new Promise<void>((done) => process.stdin.once('end', done))]);
    await server.close();
    await publisher.close();
    return 0;
  }
  const listening = await publisher.listen({
    ...(options.host ? { host: options.host } : {}),
    ...(options.port !== undefined ? { port: options.port } : {}),
  });
  io.stderr.write(`toolwire serve: ${published.length} tools at ${style.cyan(listening.url)} (${names})\n`);
  options.onListening?.(listening.url);
  await stop;
  io.stderr.write('toolwire serve: shutting down (draining running calls)\n');
  await listening.close();
  return 0;
}

/** Tools among a module's exports: named exports keyed by export name, plus the default export. */
function collectTools(exports: Record<string, unknown>): ToolRecord {
  const tools: ToolRecord = {};
  const add = (key: string, value: unknown) => {
    if (isPublishableTool(value)) tools[toolName(key, value)] = value as ToolRecord[string];
  };
  for (const [key, value] of Object.entries(exports)) {
    if (key === 'default') continue;
    add(key, value);
  }
  const fallback = exports.default;
  if (Array.isArray(fallback)) {
    for (const [index, value] of fallback.entries()) add(`default_${index}`, value);
  } else if (isPublishableTool(fallback)) add('default', fallback);
  else if (typeof fallback === 'object' && fallback !== null) {
    for (const [key, value] of Object.entries(fallback)) add(key, value);
  }
  return tools;
}

/** LangChain and native tools carry their own name; an AI SDK tool is named by its key. */
function toolName(key: string, value: unknown): string {
  const own = (value as { name?: unknown }).name;
  return typeof own === 'string' && own !== '' ? own : key;
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const finish = () => {
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      done();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
}
