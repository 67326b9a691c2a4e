/**
 * The CLI's entry: parses arguments (node's own `parseArgs`, no dependency), dispatches to a
 * command and maps failures to exit codes: 0 success, 1 a server or tool failed, 2 bad usage or
 * invalid configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, TOOLWIRE_VERSION, ToolwireError } from '@toolwire/core';
import { callCommand } from './commands/call-command.js';
import { doctorCommand } from './commands/doctor-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { serveCommand } from './commands/serve-command.js';
import { toolsCommand } from './commands/tools-command.js';
import { UsageError } from './commands/usage-error.js';
import { type CliIO, createStyle } from './output/terminal.js';

const help = `toolwire — see what your MCP servers offer, call their tools, diagnose problems.

Usage:
  toolwire tools  [--config <file>] [--server <name>] [--all] [--json] [--verbose]
  toolwire call   <tool> ['<json args>'] [--config <file>] [--timeout <ms>] [--out <dir>] [--session <key>] [--json] [--verbose]
  toolwire doctor [--config <file>]
  toolwire inspect [--config <file>] [--port <n>] [--allowed-host <name>]…
  toolwire serve  <module> [--stdio] [--port <n>] [--host <addr>] [--allowed-host <name>]… [--allowed-origin <host>]…
                           [--name <name>] [--include <glob>]… [--exclude <glob>]…

The config is an MCP JSON file ({ "mcpServers": { … } }, VS Code's { "servers": { … } }, or toolwire's
own shapes). Without --config: ./mcp.json, ./.mcp.json or ./.vscode/mcp.json.

--verbose prints the log messages servers send (from debug up) on stderr, one line each:
[server] level logger: message.

serve publishes the tools a module exports (LangChain tools, AI SDK tools, defineTool() tools) as an
MCP server: Streamable HTTP on 127.0.0.1 (a free port unless --port), or stdio with --stdio.
--allowed-host names a hostname clients use in Host (needed with a --host other than loopback);
--allowed-origin a browser origin's hostname. Both default to the loopback names.

inspect serves a live page of the servers, tools, schemas, calls and stats on 127.0.0.1 (a free port
unless --port) and prints a link that opens it once; --allowed-host adds a host name the page may be
reached by besides the loopback ones (e.g. through a tunnel). Runs until Ctrl+C.

Exit codes: 0 success · 1 a server or tool failed · 2 bad usage or invalid configuration.
`;

/** Test hooks for long-running commands (`serve`, `inspect`): when to stop, and where it listens. */
export interface RunCliHooks {
  stopSignal?: Promise<void>;
  onListening?: (url: string | undefined) => void;
}

export async function runCli(argv: string[], io: CliIO, hooks: RunCliHooks = {}): Promise<number> {
  const style = createStyle(io);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${help}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    io.stdout.write(`${TOOLWIRE_VERSION}\n`);
    return 0;
  }
  if (values.help || command === undefined || command === 'help') {
    io.stdout.write(help);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    switch (command) {
      case 'tools':
        expectArguments(rest, 0, 'tools');
        return await toolsCommand(io, style, {
          config: values.config,
          json: values.json ?? false,
          server: values.server,
          all: values.all ?? false,
          verbose: values.verbose ?? false,
        });
      case 'call': {
        const [tool, argsJson, ...extra] = rest;
        if (!tool) throw new UsageError('Missing the tool name: toolwire call <tool> \'{"arg":"value"}\'');
        expectArguments(extra, 0, 'call');
        return await callCommand(io, style, {
          config: values.config,
          tool,
          argsJson,
          json: values.json ?? false,
          timeoutMs: values.timeout === undefined ? undefined : positiveInteger(values.timeout, '--timeout'),
          outDir: values.out,
          sessionKey: values.session,
          verbose: values.verbose ?? false,
        });
      }
      case 'doctor':
        expectArguments(rest, 0, 'doctor');
        return await doctorCommand(io, style, { config: values.config });
      case 'inspect':
        expectArguments(rest, 0, 'inspect');
        return await inspectCommand(io, style, {
          config: values.config,
          port: values.port === undefined ? undefined : port(values.port),
          allowHosts: values['allowed-host'],
          ...hooks,
        });
      case 'serve': {
        const [module, ...extra] = rest;
        if (!module) throw new UsageError('Missing the module: toolwire serve ./tools.mjs');
        expectArguments(extra, 0, 'serve');
        return await serveCommand(io, style, {
          module,
          stdio: values.stdio ?? false,
          host: values.host,
          port: values.port === undefined ? undefined : port(values.port),
          name: values.name,
          include: values.include,
          exclude: values.exclude,
          allowedHosts: values['allowed-host'],
          allowedOrigins: values['allowed-origin'],
          ...hooks,
        });
      }
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${style.red('error:')} ${error.message}\n`);
      return 2;
    }
    if (ConfigError.isInstance(error)) {
      io.stderr.write(`${style.red('error:')} ${error.message}\n`);
      return 2;
    }
    // Invalid configuration is exit code 2 whichever package found it (e.g. the publisher).
    if (ToolwireError.isInstance(error) && error.code === 'CONFIG_INVALID') {
      io.stderr.write(`${style.red(`${error.code}:`)} ${error.message}\n`);
      return 2;
    }
    if (ToolwireError.isInstance(error)) {
      io.stderr.write(`${style.red(`${error.code}:`)} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      json: { type: 'boolean' },
      verbose: { type: 'boolean' },
      server: { type: 'string' },
      all: { type: 'boolean' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      session: { type: 'string' },
      stdio: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      name: { type: 'string' },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      'allowed-host': { type: 'string', multiple: true },
      'allowed-origin': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function expectArguments(rest: string[], count: number, command: string): void {
  if (rest.length > count)
    throw new UsageError(`Unexpected argument "${rest[count]}" for "toolwire ${command}".`);
}

function port(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw new UsageError('--port expects a port number (0 for a free one).');
  return value;
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`${flag} expects a positive whole number of milliseconds.`);
  return value;
}
