/**
 * `toolwire inspect`: connects the configured servers and serves a live page of the registry on
 * 127.0.0.1 (a free port unless `--port`), behind a one-time link: the token in the printed URL
 * is exchanged once for a session cookie, Host and Origin must name a loopback host (or one
 * allowed with `--allowed-host`), and no secret from the config reaches the page. Runs until
 * SIGINT/SIGTERM; exit code 0 then, 1 when the port cannot be used.
 */
import { randomToken } from '@toolwire/inspector';
import { listenInspector } from '@toolwire/inspector/node';
import { checkHostAndOrigin, defaultHostCheck, type HostCheck } from '@toolwire/publisher';
import type { CliIO, Style } from '../output/terminal.js';
import { openRegistry } from './open-registry.js';
import { untilSignal } from './until-signal.js';

export interface InspectCommandOptions {
  config: string | undefined;
  port: number | undefined;
  /** More host names the page may be reached by (e.g. through a tunnel), besides the loopback ones. */
  allowHosts: string[] | undefined;
  /** Resolves when the page should stop (tests); default: SIGINT or SIGTERM. */
  stopSignal?: Promise<void>;
  /** Called with the one-time URL once the page is served. */
  onListening?: (url: string | undefined) => void;
}

export async function inspectCommand(
  io: CliIO,
  style: Style,
  options: InspectCommandOptions,
): Promise<number> {
  const registry = await openRegistry(io, style, { config: options.config, progress: true });
  try {
    const hostCheck = withAllowedHosts(defaultHostCheck(), options.allowHosts ?? []);
    const token = randomToken();
    let inspector: Awaited<ReturnType<typeof listenInspector>>;
    try {
      inspector = await listenInspector(registry, {
        host: '127.0.0.1',
        port: options.port ?? 0,
        oneTimeToken: token,
        guard: (request) => checkHostAndOrigin(request, hostCheck),
      });
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      io.stderr.write(
        `${style.red('error:')} cannot serve the inspector on 127.0.0.1:${options.port ?? 0}` +
          `${code === 'EADDRINUSE' ? ' (the port is in use)' : ''}: ${(error as Error).message}\n`,
      );
      return 1;
    }
    const link = `${inspector.url}?token=${token}`;
    const servers = registry.servers();
    const failed = servers.filter((server) => server.status === 'failed').length;
    io.stderr.write(
      `toolwire inspect: ${servers.length} servers${failed ? ` (${style.red(`${failed} failed`)})` : ''}, ` +
        `${registry.tools().length} tools\n` +
        `Open ${style.cyan(link)}\n` +
        `${style.dim('The link works once, in one browser. Ctrl+C stops.')}\n`,
    );
    options.onListening?.(link);
    await (options.stopSignal ?? untilSignal());
    io.stderr.write('toolwire inspect: stopping\n');
    await inspector.close();
    return 0;
  } finally {
    await registry.close();
  }
}

/** The loopback names plus `hosts`; `any` (as for `serve`) turns the Host/Origin check off. */
function withAllowedHosts(check: HostCheck, hosts: string[]): HostCheck {
  if (hosts.length === 0) return check;
  const add = (list: HostCheck['allowedHosts']): HostCheck['allowedHosts'] =>
    list === 'any' || hosts.includes('any') ? 'any' : [...list, ...hosts];
  return { allowedHosts: add(check.allowedHosts), allowedOrigins: add(check.allowedOrigins) };
}
