/**
 * `toolwire gateway --config gateway.json`: the file's upstream servers (`mcpServers` /
 * `servers`, as every toolwire command reads them) re-published as one MCP server, over
 * Streamable HTTP on 127.0.0.1 (default; `/health` answers GET) or over stdio. The file's
 * `gateway` section says how: exposure, naming, search mode, per-principal upstream sessions,
 * downstream auth, required upstreams (`GET /ready`). Runs until SIGINT/SIGTERM (HTTP) or until
 * the client closes stdin (stdio); SIGHUP (or, with `--watch`, a change to the file) re-reads the file and reloads the gateway in place
 * (sessions kept; a bad file is reported and the running configuration stays).
 */
import { watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createGateway, type Gateway } from '@toolwire/gateway';
import type { HTTPOptions } from '@toolwire/publisher';
import { defaultConfigFiles, findConfig } from '../config/find-config.js';
import type { GatewaySettings } from '../config/gateway-settings.js';
import { GatewayStores } from '../config/gateway-stores.js';
import type { CliIO, Style } from '../output/terminal.js';
import { checkReloadable, readGatewayConfig } from './gateway-config.js';
import { untilSignal } from './until-signal.js';
import { UsageError } from './usage-error.js';

export interface GatewayCommandOptions {
  config: string | undefined;
  stdio: boolean;
  /** Reload when the config file changes, as on SIGHUP. */
  watch?: boolean;
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
  const stores = new GatewayStores();
  const { upstreams, settings, policy, upstreamAuth } = await readGatewayConfig(path, io, stores).catch(
    async (error: unknown) => {
      await stores.close();
      throw error;
    },
  );
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
  // Given as `upstreams`, so per-principal sessions apply to entries without their own `session`.
  const gateway = await createGateway({
    upstreams,
    name: settings.name ?? 'toolwire-gateway',
    ...(settings.expose ? { expose: settings.expose } : {}),
    ...(settings.naming ? { naming: settings.naming } : {}),
    ...(settings.mode ? { mode: settings.mode } : {}),
    ...(settings.upstreamSessions ? { upstreamSessions: settings.upstreamSessions } : {}),
    ...(policy ? { policy } : {}),
    ...(settings.requiredUpstreams ? { requiredUpstreams: settings.requiredUpstreams } : {}),
    ...(upstreamAuth ? { upstreamAuth } : {}),
    publisher: {
      http,
      ...(settings.callTimeoutMs ? { callTimeoutMs: settings.callTimeoutMs } : {}),
      onError: (error) => io.stderr.write(`${style.red('error:')} ${error.message}\n`),
    },
  }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  await stores.settle(true);
  // One reload at a time: each reads the file and settles its stores before the next begins.
  let reloading: Promise<void> = Promise.resolve();
  const onHangUp = () => {
    reloading = reloading.then(() => reloadFromFile(gateway, path, settings, stores, io, style));
  };
  process.on('SIGHUP', onHangUp);
  const watcher = options.watch ? watchFile(path, onHangUp) : undefined;
  try {
    const summary = await describe(gateway, style);
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
    process.off('SIGHUP', onHangUp);
    watcher?.close();
    await reloading;
    await gateway.close();
    await stores.close();
  }
}

/**
 * Calls `changed` once a burst of changes to `path` settles. The directory is watched, not the
 * file, so editors that save by replacing the file (a rename) are seen too.
 */
function watchFile(path: string, changed: () => void): { close(): void } {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(path), (_event, name) => {
    if (name !== null && name.toString() !== basename(path)) return;
    clearTimeout(timer);
    timer = setTimeout(changed, 150);
  });
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/** `3 upstreams (1 failed), 12 tools`. */
async function describe(gateway: Gateway, style: Style): Promise<string> {
  const servers = gateway.registry.servers();
  const failed = servers.filter((server) => server.status === 'failed').length;
  return (
    `${servers.length} upstreams${failed ? ` (${style.red(`${failed} failed`)})` : ''}, ` +
    `${(await gateway.tools()).length} tools`
  );
}

/**
 * SIGHUP: the file read again and applied with `gateway.reload()`. A file that does not read, or
 * changes a setting only a restart applies, is reported and the running configuration stays.
 */
async function reloadFromFile(
  gateway: Gateway,
  path: string,
  started: GatewaySettings,
  stores: GatewayStores,
  io: CliIO,
  style: Style,
): Promise<void> {
  try {
    const { upstreams, settings, policy, upstreamAuth } = await readGatewayConfig(path, io, stores);
    checkReloadable(path, started, settings);
    await gateway.reload({
      upstreams,
      ...(settings.expose ? { expose: settings.expose } : {}),
      ...(policy ? { policy } : {}),
      ...(settings.requiredUpstreams ? { requiredUpstreams: settings.requiredUpstreams } : {}),
      // Taken out of the file: dropped (the upstreams it named reconnect with their own credentials).
      upstreamAuth: upstreamAuth ?? {},
    });
    // The new configuration is in place: stores (and Redis clients) it no longer names are let go.
    await stores.settle(true);
    io.stderr.write(`toolwire gateway: reloaded ${path}: ${await describe(gateway, style)}\n`);
  } catch (error) {
    await stores.settle(false);
    io.stderr.write(
      `${style.red('error:')} reload of ${path} rejected, still serving the previous configuration: ${(error as Error).message}\n`,
    );
  }
}

/** The loopback names and addresses, which need no `allowedHosts`. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}
