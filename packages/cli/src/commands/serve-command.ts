/**
 * `toolwire serve <module>`: publishes the tools a module exports (LangChain tools, AI SDK tools,
 * `defineTool` tools; named exports and/or a default export that is a tool, a list or a record)
 * as an MCP server, over Streamable HTTP on 127.0.0.1 (default) or over stdio. Runs until
 * SIGINT/SIGTERM (HTTP) or until the client closes stdin (stdio); shutdown drains running calls.
 * Exit codes follow the CLI's help: 2 for what the user can fix in the command or the module
 * (bad flags, a tool that cannot be published, another interface without --allowed-host, a
 * selection that leaves nothing), 1 when the server cannot start (the port is taken).
 */
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ToolwireError } from '@toolwire/core';
import {
  createPublisher,
  type HTTPOptions,
  isPublishableTool,
  type Publisher,
  type ToolRecord,
} from '@toolwire/publisher';
import type { CliIO, Style } from '../output/terminal.js';
import { untilSignal } from './until-signal.js';
import { UsageError } from './usage-error.js';

export interface ServeCommandOptions {
  module: string;
  stdio: boolean;
  host: string | undefined;
  port: number | undefined;
  name: string | undefined;
  include: string[] | undefined;
  exclude: string[] | undefined;
  /** Hostnames accepted in `Host` (`--allowed-host`); default: the loopback names. */
  allowedHosts?: string[] | undefined;
  /** Hostnames (or origins) accepted in a browser's `Origin` (`--allowed-origin`). */
  allowedOrigins?: string[] | undefined;
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
  const http: HTTPOptions = {
    ...(options.allowedHosts ? { allowedHosts: hostList(options.allowedHosts, '--allowed-host') } : {}),
    ...(options.allowedOrigins
      ? { allowedOrigins: hostList(options.allowedOrigins.map(originHost), '--allowed-origin') }
      : {}),
  };
  const publisher: Publisher = createPublisher({
    name: options.name ?? basename(path, extname(path)),
    version: '0.0.0',
    tools,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    http,
    onError: (error) => io.stderr.write(`${style.red('error:')} ${error.message}\n`),
  });
  const published = await publisher.ready();
  if (published.length === 0) {
    throw new UsageError(
      `No tool is left to publish after --include / --exclude (the module exports: ${Object.keys(tools).join(', ')}).`,
    );
  }
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
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowedHosts === undefined) {
    throw new UsageError(
      `Listening on ${host} needs --allowed-host <name> for each hostname clients use to reach it (DNS-rebinding protection).`,
    );
  }
  let listening: Awaited<ReturnType<Publisher['listen']>>;
  try {
    listening = await publisher.listen({
      host,
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  } catch (error) {
    await publisher.close({ drainMs: 0 });
    throw listenFailure(error, host, options.port);
  }
  io.stderr.write(`toolwire serve: ${published.length} tools at ${style.cyan(listening.url)} (${names})\n`);
  options.onListening?.(listening.url);
  await stop;
  io.stderr.write('toolwire serve: shutting down (draining running calls)\n');
  await listening.close();
  return 0;
}

/** A listen failure in the CLI's words (exit code 1: the server could not start). */
function listenFailure(error: unknown, host: string, port: number | undefined): Error {
  if (ToolwireError.isInstance(error)) return error;
  const code = (error as { code?: unknown }).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port ?? 0}`;
  const reason =
    code === 'EADDRINUSE'
      ? 'the address is already in use (choose another --port, or 0 for a free one)'
      : code === 'EACCES'
        ? 'this process may not use that port (choose a --port above 1023)'
        : code === 'EADDRNOTAVAIL'
          ? `${host} is not an address of this machine`
          : String((error as Error).message);
  return new ToolwireError({
    code: 'CONNECT_FAILED',
    message: `Cannot listen on ${where}: ${reason}.`,
    cause: error,
  });
}

/** The loopback names and addresses, which need no --allowed-host. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** `any` alone turns a check off (as the publisher's option does); otherwise names, never empty. */
function hostList(values: string[], flag: string): string[] | 'any' {
  if (values.includes('any')) {
    if (values.length > 1)
      throw new UsageError(`${flag} any turns the check off; do not combine it with names.`);
    return 'any';
  }
  const empty = values.find((value) => value.trim() === '');
  if (empty !== undefined) throw new UsageError(`${flag} needs a hostname.`);
  return values;
}

/** `--allowed-origin` takes a hostname or a whole origin (`https://app.example.com`); the check compares hostnames. */
function originHost(value: string): string {
  if (!value.includes('://')) return value;
  try {
    return new URL(value).hostname;
  } catch {
    throw new UsageError(`--allowed-origin ${value} is neither a hostname nor an origin URL.`);
  }
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
