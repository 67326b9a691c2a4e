/**
 * `toolwire gateway --config <file>` run as a user runs it: the built executable (`dist/bin.js`,
 * which `pnpm test` builds before the tests) spawned as a child Node process, ready once it
 * prints the URL it serves. The gateway tests that send it signals (SIGHUP reloads) or read which
 * connections its process holds start it here. Built rather than from the TypeScript sources: a
 * child that strips and transforms the sources of core, gateway and publisher costs about 2.5 s
 * of CPU to start, the built one under 1 s.
 */
import { fileURLToPath } from 'node:url';
import { type ServerProcess, startServerProcess } from '../../../core/test/support/index.js';

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
    args: [fileURLToPath(new URL('../../dist/bin.js', import.meta.url)), 'gateway', '--config', configPath],
    env: { NO_COLOR: '1', ...env },
    ready: /at (http:\/\/127\.0\.0\.1:\d+\/mcp)/,
    label: 'toolwire gateway',
  });
  return Object.assign(cli, { url: cli.readyMatch[1] as string });
}
