/**
 * What each command accepts: its usage line, its help text and its own flags. The parser
 * rejects a flag the command does not take, so nothing is silently ignored.
 */

/** One flag, as `node:util` `parseArgs` describes it, plus the line its help shows. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** e.g. `--config <file>   the MCP JSON config (default: ./mcp.json, …)` */
  help: string;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  usage: string;
  /** Paragraphs shown by `toolwire <command> --help` after the flags. */
  details: string;
  flags: Record<string, FlagSpec>;
  examples: string[];
}

const config: FlagSpec = {
  type: 'string',
  short: 'c',
  help: '--config, -c <file>   MCP JSON config (default: ./mcp.json, ./.mcp.json or ./.vscode/mcp.json)',
};
const json: FlagSpec = { type: 'boolean', help: '--json                print JSON for scripts' };
const verbose: FlagSpec = {
  type: 'boolean',
  help: '--verbose             print the log messages servers send (from debug up) on stderr',
};
const port: FlagSpec = {
  type: 'string',
  help: '--port <n>            port on 127.0.0.1 (default: a free one)',
};
const allowedHost: FlagSpec = {
  type: 'string',
  multiple: true,
  help: '--allowed-host <name> a Host name clients may use besides the loopback ones (repeatable)',
};

export const commandSpecs: readonly CommandSpec[] = [
  {
    name: 'tools',
    summary: 'connect every server in parallel and list servers and their tools',
    usage: 'toolwire tools [--config <file>] [--server <name>] [--all] [--json] [--verbose]',
    details: 'Exit code 1 when a server failed (it is listed with its error; the others still work).',
    flags: {
      config,
      server: { type: 'string', help: '--server <name>       only this server' },
      all: { type: 'boolean', help: '--all                 also tools disabled by the config' },
      json,
      verbose,
    },
    examples: ['toolwire tools --config mcp.json', 'toolwire tools --server everything --json'],
  },
  {
    name: 'call',
    summary: 'call one tool and print its result',
    usage:
      "toolwire call <tool> [key=value…] ['<json object>'] [-] [--config <file>] [--timeout <ms>] [--out <dir>] [--session <key>] [--json] [--verbose]",
    details: [
      'Arguments: key=value pairs (a value is JSON when the tool’s schema does not want a string there:',
      'count=3, tags=\'["a","b"]\'), a JSON object, or - to read a JSON object from stdin; later ones win.',
      'Images and audio are saved to files (--out, default the current directory).',
      'Exit code 1 when the tool reported an error or the call failed.',
    ].join('\n'),
    flags: {
      config,
      timeout: { type: 'string', help: '--timeout <ms>        give up after this long (default 60000)' },
      out: { type: 'string', help: '--out <dir>           where images and audio are saved' },
      session: { type: 'string', help: '--session <key>       the session key (a conversation id)' },
      json,
      verbose,
    },
    examples: [
      'toolwire call everything__echo message=hi',
      'toolwire call everything__get-sum a=1 b=2',
      'toolwire call everything__echo \'{"message":"hi"}\'',
      'echo \'{"message":"hi"}\' | toolwire call everything__echo -',
    ],
  },
  {
    name: 'doctor',
    summary: 'check the runtime, the config and every server; explain each failure with the fix',
    usage: 'toolwire doctor [--config <file>]',
    details:
      'For a stdio server that fails, the last lines it wrote to stderr are shown with the next step.\nExit code 1 when a problem was found.',
    flags: { config },
    examples: ['toolwire doctor --config mcp.json'],
  },
  {
    name: 'inspect',
    summary: 'serve a live page of the servers, tools, calls and stats',
    usage: 'toolwire inspect [--config <file>] [--port <n>] [--allowed-host <name>]…',
    details: 'Serves on 127.0.0.1 and prints a link that opens the page once. Runs until Ctrl+C.',
    flags: { config, port, 'allowed-host': allowedHost },
    examples: ['toolwire inspect --config mcp.json'],
  },
  {
    name: 'serve',
    summary: 'publish the tools a module exports as an MCP server',
    usage:
      'toolwire serve <module> [--stdio] [--port <n>] [--host <addr>] [--allowed-host <name>]… [--allowed-origin <host>]… [--name <name>] [--include <glob>]… [--exclude <glob>]…',
    details: [
      'Publishes LangChain tools, AI SDK tools and defineTool() tools over Streamable HTTP on 127.0.0.1',
      '(a free port unless --port), or over stdio with --stdio. --allowed-host is needed with a --host',
      'other than loopback; --allowed-origin names a browser origin’s hostname.',
    ].join('\n'),
    flags: {
      stdio: { type: 'boolean', help: '--stdio               serve over stdin/stdout instead of HTTP' },
      port,
      host: { type: 'string', help: '--host <addr>         address to listen on (default 127.0.0.1)' },
      'allowed-host': allowedHost,
      'allowed-origin': {
        type: 'string',
        multiple: true,
        help: '--allowed-origin <host> a browser origin’s hostname allowed to call (repeatable)',
      },
      name: { type: 'string', help: '--name <name>         the server name clients see' },
      include: {
        type: 'string',
        multiple: true,
        help: '--include <glob>      publish only matching tools (repeatable)',
      },
      exclude: {
        type: 'string',
        multiple: true,
        help: '--exclude <glob>      leave matching tools out (repeatable)',
      },
    },
    examples: ['toolwire serve ./tools.mjs', 'toolwire serve ./tools.mjs --stdio'],
  },
  {
    name: 'gateway',
    summary: 'serve every configured server as one MCP server (a gateway)',
    usage: 'toolwire gateway [--config <file>] [--stdio] [--port <n>] [--host <addr>] [--watch]',
    details: [
      'Re-publishes the tools of every server in the config over Streamable HTTP on 127.0.0.1 (a free',
      'port unless --port; GET /health answers), or over stdio with --stdio. The config\'s "gateway"',
      'section sets expose, naming, mode ("tools" or "search"), upstreamSessions, auth (JWT), allowedHosts,',
      'policy and requiredUpstreams (GET /ready answers 503 while one of them is down).',
      'SIGHUP (or, with --watch, a change to the file) re-reads the config and reloads it in place:',
      'sessions stay, calls running finish, a bad file is reported and the running configuration kept.',
      'Runs until Ctrl+C.',
    ].join('\n'),
    flags: {
      config,
      stdio: { type: 'boolean', help: '--stdio               serve over stdin/stdout instead of HTTP' },
      port,
      host: { type: 'string', help: '--host <addr>         address to listen on (default 127.0.0.1)' },
      watch: {
        type: 'boolean',
        help: '--watch               reload when the config file changes (as SIGHUP does)',
      },
    },
    examples: [
      'toolwire gateway --config gateway.json',
      'toolwire gateway --config gateway.json --port 8080',
    ],
  },
];

/** Flags every command takes. */
export const globalFlags: Record<string, FlagSpec> = {
  help: { type: 'boolean', short: 'h', help: '--help, -h            show this help' },
  version: { type: 'boolean', short: 'v', help: '--version, -v         print the version' },
};

export function commandSpec(name: string): CommandSpec | undefined {
  return commandSpecs.find((spec) => spec.name === name);
}

/** `toolwire --help`. */
export function generalHelp(): string {
  const width = Math.max(...commandSpecs.map((spec) => spec.name.length));
  return [
    'toolwire — see what your MCP servers offer, call their tools, diagnose problems.',
    '',
    'Usage: toolwire <command> [options]',
    '',
    'Commands:',
    ...commandSpecs.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
    '',
    'Run `toolwire <command> --help` for its options and examples.',
    '',
    'The config is an MCP JSON file ({ "mcpServers": { … } }, VS Code\'s { "servers": { … } }, or toolwire\'s',
    'own shapes). Without --config: ./mcp.json, ./.mcp.json or ./.vscode/mcp.json.',
    'Colour: on a terminal unless NO_COLOR is set (non-empty); FORCE_COLOR forces it (0 turns it off).',
    '',
    'Exit codes: 0 success · 1 a server or tool failed · 2 bad usage or invalid configuration.',
    '',
  ].join('\n');
}

/** `toolwire <command> --help`. */
export function commandHelp(spec: CommandSpec): string {
  const flags = [...Object.values(spec.flags), globalFlags.help!].map((flag) => `  ${flag.help}`);
  return [
    `toolwire ${spec.name} — ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...flags,
    '',
    spec.details,
    '',
    'Examples:',
    ...spec.examples.map((example) => `  ${example}`),
    '',
  ].join('\n');
}
