/**
 * `toolwire gateway --config <file>` run as a user runs it: the CLI spawned as a child Node
 * process from its TypeScript sources, ready once it prints the URL it serves. The gateway tests
 * that send it signals (SIGHUP reloads) or read which connections its process holds start it here.
 */
import { type ServerProcess, sourceNodeArgs, startServerProcess } from '../../../core/test/support/index.js';

/** A running `toolwire gateway` child; `url` is the `/mcp` endpoint it printed. */
export interface GatewayProcess extends ServerProcess {
  url: string;
}

/** Spawns `toolwire gateway --config <configPath>` with `env` added (and `NO_COLOR=1`). */
export async function startGatewayProcess(
  configPath: string,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const cli = await startServerProcess({
    command: process.execPath,
    args: [
      ...sourceNodeArgs,
      new URL('../../src/bin.ts', import.meta.url).pathname,
      'gateway',
      '--config',
      configPath,
    ],
    env: { NO_COLOR: '1', ...env },
    ready: /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
    label: 'toolwire gateway',
  });
  return Object.assign(cli, { url: cli.readyMatch[1] as string });
}
