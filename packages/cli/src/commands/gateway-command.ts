/**
 * `toolwire gateway --config gateway.json`: the file's upstream servers (`mcpServers` /
 * `servers`, as every toolwire command reads them) re-published as one MCP server, over
 * Streamable HTTP on 127.0.0.1 (default; `/health` answers GET) or over stdio. The file's
 * `gateway` section says how: exposure, naming, search mode, per-principal upstream sessions,
 * downstream auth. Runs until SIGINT/SIGTERM (HTTP) or until the client closes stdin (stdio).
 */
import { readFile } from 'node:fs/promises';
import { loadConfig, silentLogger } from '@toolwire/core';
import { createGateway } from '@toolwire/gateway';
import type { HTTPOptions } from '@toolwire/publisher';
import { defaultConfigFiles, findConfig } from '../config/find-config.js';
import { readGatewaySettings } from '../config/gateway-settings.js';
import type { CliIO, Style } from '../output/terminal.js';
import { untilSignal } from './until-signal.js';
import { UsageError } from './usage-error.js';

export interface GatewayCommandOptions {
  config: string | undefined;
  stdio: boolean;
  host: string | undefined;
  port: number | undefined;
  /** Resolves when the gateway should stop (tests); default: SIGINT or SIGTERM. */
  stopSignal?: Promise<void>;
  /** Called once the gateway is serving, with its MCP endpoint (HTTP) or `undefined` (stdio). */
  onListening?: (url: string | undefined) => void;
}

export async function gatewayCommand(
  io: CliIO,
  style: Style,
  options: GatewayCommandOptions,
): Promise<number> {
  const path = await findConfig(options.config, io.cwd);
  if (!path) {
    throw new UsageError(
      `No gateway configuration found. Pass --config <file> (or create one of: ${defaultConfigFiles.join(', ')}).`,
    );
  }
  const upstreams = await loadConfig(path, { env: io.env });
  let file: unknown;
  try {
    file = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UsageError(`${path}: a gateway config must be plain JSON (no comments).`);
  }
  const settings = readGatewaySettings(file, path, io.env);
  const host = options.host ?? '127.0.0.1';
  if (!options.stdio && !isLoopback(host) && settings.allowedHosts === undefined) {
    throw new UsageError(
      `Listening on ${host} needs "allowedHosts" in the gateway section (DNS-rebinding protection).`,
    );
  }
  const http: HTTPOptions = {
    ...(settings.auth ? { auth: settings.auth } : {}),
    ...(settings.allowedHosts ? { allowedHosts: settings.allowedHosts } : {}),
    ...(settings.allowedOrigins ? { allowedOrigins: settings.allowedOrigins } : {}),
  };
  const { audit, ...policyRules } = settings.policy ?? {};
  const policy = settings.policy
    ? {
        ...policyRules,
        ...(audit
          ? { onAudit: (record: object) => io.stderr.write(`audit: ${JSON.stringify(record)}\n`) }
          : {}),
      }
    : undefined;
  // Given as `upstreams`, so per-principal sessions apply to entries without their own `session`.
  const gateway = await createGateway({
    upstreams: { ...upstreams, env: io.env, logger: silentLogger },
    name: settings.name ?? 'toolwire-gateway',
    ...(settings.expose ? { expose: settings.expose } : {}),
    ...(settings.naming ? { naming: settings.naming } : {}),
    ...(settings.mode ? { mode: settings.mode } : {}),
    ...(settings.upstreamSessions ? { upstreamSessions: settings.upstreamSessions } : {}),
    ...(policy ? { policy } : {}),
    ...(settings.upstreamAuth ? { upstreamAuth: settings.upstreamAuth } : {}),
    publisher: {
      http,
      ...(settings.callTimeoutMs ? { callTimeoutMs: settings.callTimeoutMs } : {}),
      onError: (error) => io.stderr.write(`${style.red('error:')} ${error.message}\n`),
    },
  });
  try {
    const servers = gateway.registry.servers();
    const failed = servers.filter((server) => server.status === 'failed').length;
    const summary =
      `${servers.length} upstreams${failed ? ` (${style.red(`${failed} failed`)})` : ''}, ` +
      `${(await gateway.tools()).length} tools`;
    const stop = options.stopSignal ?? untilSignal();
    if (options.stdio) {
      const server = await gateway.serveStdio();
      io.stderr.write(`toolwire gateway: ${summary} over stdio\n`);
      options.onListening?.(undefined);
      await Promise.race([stop, new Promise<void>((done) => process.stdin.once('end', done))]);
      await server.close();
    } else {
      const listening = await gateway.listen({
        host,
        ...(options.port !== undefined ? { port: options.port } : {}),
      });
      io.stderr.write(`toolwire gateway: ${summary} at ${style.cyan(listening.url)}\n`);
      options.onListening?.(listening.url);
      await stop;
      io.stderr.write('toolwire gateway: shutting down (draining running calls)\n');
    }
    return 0;
  } finally {
    await gateway.close();
  }
}

/** The loopback names and addresses, which need no `allowedHosts`. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
