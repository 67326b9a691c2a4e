/**
 * `registry.serverDetails(name)` and `registry.redact(value)`: the operator's view of a server
 * beyond `server(name)` (status history, stderr tail, retry schedule, auth kind and token
 * lifetime), and the registry's own redaction for values it did not produce (tool results).
 * Real peers: a stdio command that fails at start-up after printing its secret to stderr, core's
 * echo peer in `'ok'` mode for client credentials, and server-everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import { assertNoSecrets, type EchoPeer, everythingStdio, startEchoPeer } from './support/index.js';

const ENV_SECRET = 'details-env-7c1e94ab';
const CLIENT_SECRET = 'details-client-5f20d7';

let peer: EchoPeer;
let registry: Registry;

beforeAll(async () => {
  peer = await startEchoPeer({ mode: 'ok', requireToken: true });
  registry = await createRegistry({
    cache: 'none',
    logger: silentLogger,
    mcpServers: {
      broken: {
        command: process.execPath,
        args: ['-e', "console.error('starting with key ' + process.env.API_KEY); process.exit(3)"],
        env: { API_KEY: ENV_SECRET },
      },
      crm: {
        url: peer.mcpUrl,
        auth: {
          type: 'client_credentials',
          clientId: 'agent',
          clientSecret: CLIENT_SECRET,
          tokenUrl: peer.tokenUrl,
        },
      },
      everything: everythingStdio(),
      keyed: {
        url: `${peer.mcpUrl}?unused=1`,
        headers: { 'X-Api-Key': 'details-header-91ab' },
        disabled: true,
      },
    },
  });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await peer?.close();
});

describe('serverDetails', () => {
  it('keeps a failed server’s status history and its redacted stderr tail', () => {
    const details = registry.serverDetails('broken');
    expect(details?.statusHistory.map((change) => change.status)).toEqual(['loading', 'failed']);
    const failed = details?.statusHistory.at(-1);
    expect(failed?.previous).toBe('loading');
    expect(failed?.error?.code).toBe('CONNECT_FAILED');
    expect(failed?.at).toBeGreaterThan(Date.now() - 120_000);
    expect(details?.stderrTail.join('\n')).toContain('starting with key [redacted]');
    expect(details?.consecutiveFailures).toBe(1);
    expect(details?.nextRetryAt).toBeGreaterThan(failed?.at ?? Number.POSITIVE_INFINITY);
    expect(details?.auth).toEqual({ kind: 'none', token: undefined });
    assertNoSecrets(JSON.stringify(details), [ENV_SECRET]);
  });

  it('shows a client-credentials token’s lifetime, never the token', () => {
    const details = registry.serverDetails('crm');
    expect(details?.statusHistory.at(-1)?.status).toBe('active');
    expect(details?.consecutiveFailures).toBe(0);
    expect(details?.nextRetryAt).toBeUndefined();
    expect(details?.auth.kind).toBe('client_credentials');
    const token = details?.auth.token;
    expect(token?.obtainedAt).toBeLessThanOrEqual(Date.now());
    // The peer grants 3600 s (core keeps a small margin).
    const lifetime = (token?.expiresAt ?? 0) - (token?.obtainedAt ?? 0);
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000);
    assertNoSecrets(JSON.stringify(details), [CLIENT_SECRET, ...peer.issuedTokens]);
  });

  it('names the auth kind of header-configured servers, and is undefined for unknown servers', () => {
    expect(registry.serverDetails('keyed')?.auth).toEqual({ kind: 'headers', token: undefined });
    expect(registry.serverDetails('keyed')?.statusHistory).toEqual([]);
    expect(registry.serverDetails('nope')).toBeUndefined();
  });

  it('records a status change that happens later', async () => {
    await registry.disableServer('everything');
    registry.enableServer('everything');
    const statuses = registry.serverDetails('everything')?.statusHistory.map((change) => change.status);
    // Disabling drained its connections: re-enabled, it is `discovered` until used.
    expect(statuses).toEqual(['loading', 'active', 'disabled', 'discovered']);
  });
});

describe('redact', () => {
  it('replaces known secrets in any value, in every encoding, and leaves other values alone', () => {
    const value = {
      text: `key=${ENV_SECRET}`,
      nested: [{ basic: btoa(`agent:${CLIENT_SECRET}`) }, 42, true],
      url: `https://x.example/?k=${encodeURIComponent(ENV_SECRET)}`,
    };
    const safe = registry.redact(value);
    assertNoSecrets(JSON.stringify(safe), [ENV_SECRET, { secret: CLIENT_SECRET, user: 'agent' }]);
    expect(safe.text).toBe('key=[redacted]');
    expect(safe.nested[1]).toBe(42);
    expect(registry.redact('nothing secret')).toBe('nothing secret');
  });
});
