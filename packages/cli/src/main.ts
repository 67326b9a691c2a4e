/**
 * The CLI's entry: parses arguments (node's own `parseArgs`, no dependency), dispatches to a
 * command and maps failures to exit codes: 0 success, 1 a server or tool failed, 2 bad usage or
 * invalid configuration.
 */
import { parseArgs } from 'node:util';
import { ConfigError, TOOLWIRE_VERSION, ToolwireError } from '@toolwire/core';
import { callCommand } from './commands/call-command.js';
import { doctorCommand } from './commands/doctor-command.js';
import { toolsCommand } from './commands/tools-command.js';
import { UsageError } from './commands/usage-error.js';
import { type CliIO, createStyle } from './output/terminal.js';

const help = `toolwire — see what your MCP servers offer, call their tools, diagnose problems.

Usage:
  toolwire tools  [--config <file>] [--server <name>] [--all] [--json]
  toolwire call   <tool> ['<json args>'] [--config <file>] [--timeout <ms>] [--out <dir>] [--session <key>] [--json]
  toolwire doctor [--config <file>]

The config is an MCP JSON file ({ "mcpServers": { … } }, VS Code's { "servers": { … } }, or toolwire's
own shapes). Without --config: ./mcp.json, ./.mcp.json or ./.vscode/mcp.json.

Exit codes: 0 success · 1 a server or tool failed · 2 bad usage or invalid configuration.
`;

export async function runCli(argv: string[], io: CliIO): Promise<number> {
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
        });
      }
      case 'doctor':
        expectArguments(rest, 0, 'doctor');
        return await doctorCommand(io, style, { config: values.config });
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
      server: { type: 'string' },
      all: { type: 'boolean' },
      timeout: { type: 'string' },
      out: { type: 'string' },
      session: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

function expectArguments(rest: string[], count: number, command: string): void {
  if (rest.length > count)
    throw new UsageError(`Unexpected argument "${rest[count]}" for "toolwire ${command}".`);
}

function positiveInteger(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0)
    throw new UsageError(`${flag} expects a positive whole number of milliseconds.`);
  return value;
}
