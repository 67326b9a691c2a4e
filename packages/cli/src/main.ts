/**
 * The CLI's entry: parses arguments (node's own `parseArgs`, no dependency), dispatches to a
 * command and maps failures to exit codes: 0 success, 1 a server or tool failed, 2 bad usage or
 * invalid configuration.
 */
import { ConfigError, TOOLWIRE_VERSION, ToolwireError } from '@toolwire/core';
import { commandHelp, generalHelp } from './arguments/command-specs.js';
import { type FlagValues, parseCommandLine } from './arguments/parse-command-line.js';
import { callCommand } from './commands/call-command.js';
import { doctorCommand } from './commands/doctor-command.js';
import { gatewayCommand } from './commands/gateway-command.js';
import { inspectCommand } from './commands/inspect-command.js';
import { serveCommand } from './commands/serve-command.js';
import { toolsCommand } from './commands/tools-command.js';
import { UsageError } from './commands/usage-error.js';
import { type CliIO, createStyle, type Style } from './output/terminal.js';

/** Test hooks for long-running commands (`serve`, `inspect`): when to stop, and where it listens. */
export interface RunCliHooks {
  stopSignal?: Promise<void>;
  onListening?: (url: string | undefined) => void;
}

export async function runCli(argv: string[], io: CliIO, hooks: RunCliHooks = {}): Promise<number> {
  const style = createStyle(io);
  try {
    const line = parseCommandLine(argv);
    switch (line.kind) {
      case 'version':
        io.stdout.write(`${TOOLWIRE_VERSION}\n`);
        return 0;
      case 'help':
        io.stdout.write(line.command ? commandHelp(line.command) : generalHelp());
        return 0;
      case 'none':
        io.stderr.write(generalHelp());
        return 2;
      case 'command':
        return await runCommand(line.command.name, line.positionals, line.values, io, style, hooks);
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

async function runCommand(
  command: string,
  rest: string[],
  values: FlagValues,
  io: CliIO,
  style: Style,
  hooks: RunCliHooks,
): Promise<number> {
  const string = (flag: string) => values[flag] as string | undefined;
  const strings = (flag: string) => values[flag] as string[] | undefined;
  const flag = (name: string) => values[name] === true;
  switch (command) {
    case 'tools':
      expectArguments(rest, 0, 'tools');
      return await toolsCommand(io, style, {
        config: string('config'),
        json: flag('json'),
        server: string('server'),
        all: flag('all'),
        verbose: flag('verbose'),
      });
    case 'call': {
      const [tool, ...argumentTokens] = rest;
      if (!tool)
        throw new UsageError(
          'Missing the tool name: toolwire call <tool> [key=value…] (see `toolwire call --help`).',
        );
      const timeout = string('timeout');
      return await callCommand(io, style, {
        config: string('config'),
        tool,
        argumentTokens,
        json: flag('json'),
        timeoutMs: timeout === undefined ? undefined : positiveInteger(timeout, '--timeout'),
        outDir: string('out'),
        sessionKey: string('session'),
        verbose: flag('verbose'),
      });
    }
    case 'doctor':
      expectArguments(rest, 0, 'doctor');
      return await doctorCommand(io, style, { config: string('config') });
    case 'inspect': {
      expectArguments(rest, 0, 'inspect');
      const portText = string('port');
      return await inspectCommand(io, style, {
        config: string('config'),
        port: portText === undefined ? undefined : port(portText),
        allowHosts: strings('allowed-host'),
        ...hooks,
      });
    }
    case 'serve': {
      const [module, ...extra] = rest;
      if (!module)
        throw new UsageError('Missing the module: toolwire serve ./tools.mjs (see `toolwire serve --help`).');
      expectArguments(extra, 0, 'serve');
      const portText = string('port');
      return await serveCommand(io, style, {
        module,
        stdio: flag('stdio'),
        host: string('host'),
        port: portText === undefined ? undefined : port(portText),
        name: string('name'),
        include: strings('include'),
        exclude: strings('exclude'),
        allowedHosts: strings('allowed-host'),
        allowedOrigins: strings('allowed-origin'),
        ...hooks,
      });
    }
    case 'gateway': {
      expectArguments(rest, 0, 'gateway');
      const portText = string('port');
      return await gatewayCommand(io, style, {
        config: string('config'),
        stdio: flag('stdio'),
        watch: flag('watch'),
        host: string('host'),
        port: portText === undefined ? undefined : port(portText),
        ...hooks,
      });
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
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
