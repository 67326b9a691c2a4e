/**
 * The `toolwire gateway` config file read into `createGateway` options, once at start and again
 * on each reload (SIGHUP): the upstreams (core's `loadConfig`), the checked `gateway` section,
 * and which of its settings a running gateway can take without a restart.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig, type RegistryOptions, silentLogger } from '@toolwire/core';
import type { GatewayPolicy, UpstreamAuth } from '@toolwire/gateway';
import { type GatewaySettings, readGatewaySettings } from '../config/gateway-settings.js';
import type { GatewayStores } from '../config/gateway-stores.js';
import type { CliIO } from '../output/terminal.js';
import { UsageError } from './usage-error.js';

export interface GatewayConfig {
  upstreams: RegistryOptions;
  settings: GatewaySettings;
  policy: GatewayPolicy | undefined;
  /** `gateway.upstreamAuth` with each `per-user` store made (`undefined` without the setting). */
  upstreamAuth: Record<string, UpstreamAuth> | undefined;
}

/** Reads and checks the file; throws `ConfigError` naming each problem, `UsageError` for a file that is not JSON. */
export async function readGatewayConfig(
  path: string,
  io: CliIO,
  /** Makes the stores the file names, keeping them across reloads. */
  stores: GatewayStores,
): Promise<GatewayConfig> {
  const upstreams = await loadConfig(path, { env: io.env });
  let file: unknown;
  try {
    file = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new UsageError(`${path}: a gateway config must be plain JSON (no comments).`);
  }
  const settings = readGatewaySettings(file, path, io.env);
  const { audit, rateLimitStore, ...policyRules } = settings.policy ?? {};
  const policy = settings.policy
    ? {
        ...policyRules,
        ...(rateLimitStore ? { rateLimitStore: await stores.rateLimitStore(rateLimitStore) } : {}),
        ...(audit
          ? { onAudit: (record: object) => io.stderr.write(`audit: ${JSON.stringify(record)}\n`) }
          : {}),
      }
    : undefined;
  let upstreamAuth: Record<string, UpstreamAuth> | undefined;
  if (settings.upstreamAuth) {
    upstreamAuth = {};
    for (const [server, auth] of Object.entries(settings.upstreamAuth)) {
      upstreamAuth[server] =
        auth.kind === 'per-user'
          ? { kind: 'per-user', store: await stores.credentialStore(auth.store) }
          : auth;
    }
  }
  return { upstreams: { ...upstreams, env: io.env, logger: silentLogger }, settings, policy, upstreamAuth };
}

/**
 * Settings of the `gateway` section a reload cannot apply: they shape the downstream endpoint
 * (its name, tool names, auth, hosts) or the upstream sessions, which live on across a reload.
 * (`upstreamAuth` reloads: the upstreams whose entry in it changed are reconnected.)
 */
const restartOnly = [
  'name',
  'naming',
  'mode',
  'upstreamSessions',
  'auth',
  'allowedHosts',
  'allowedOrigins',
  'callTimeoutMs',
] as const;

/** Throws `ConfigError` naming each restart-only setting that differs between two reads of the file. */
export function checkReloadable(source: string, before: GatewaySettings, after: GatewaySettings): void {
  const changed = restartOnly.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
  if (changed.length > 0) {
    throw new ConfigError({
      source,
      issues: changed.map((key) => ({
        path: `gateway.${key}`,
        message: 'changed, but applies only when the gateway starts: restart it to change this',
      })),
    });
  }
}
