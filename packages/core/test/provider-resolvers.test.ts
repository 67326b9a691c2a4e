/**
 * Hosted providers: entries of a made-up provider type are turned into connections by a
 * registered resolver and used against real loopback servers that require the bearer token the
 * resolver supplies. Unregistered types, failing, hanging and misbehaving resolvers all give
 * `CONFIG_INVALID` naming the entry's path: that server is `failed` and the others work (or,
 * with `strictConfig: true`, one error lists them all); a token never shows in what the registry
 * reports.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createRegistry,
  type ProviderEntry,
  type ProviderResolver,
  type ProviderResolverContext,
  type RegistryOptions,
  silentLogger,
} from '../src/index.js';
import { type CatalogueServers, startCatalogueServers } from './support/index.js';

const token = `tok-${Math.random().toString(36).slice(2)}`;
let catalogue: CatalogueServers;

beforeAll(async () => {
  catalogue = await startCatalogueServers({ token });
}, 60_000);

afterAll(async () => {
  await catalogue?.stop();
});

/** A made-up provider: a workspace name and an API key become the workspace's URL and a bearer header. */
function acmeCloud(
  seen: { entry: ProviderEntry; context: ProviderResolverContext }[] = [],
): ProviderResolver {
  return async (entry, context) => {
    seen.push({ entry, context });
    await new Promise((resolve) => setTimeout(resolve, 10)); // a provider API round trip
    return {
      url: catalogue.url(String(entry.config.workspace)),
      headers: { Authorization: `Bearer ${String(entry.config.api_key)}` },
      callTimeoutMs: 5_000,
    };
  };
}

async function configIssues(promise: Promise<unknown>): Promise<{ path: string; message: string }[]> {
  try {
    const registry = (await promise) as { close(): Promise<void> };
    await registry.close();
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      expect(error.code).toBe('CONFIG_INVALID');
      return error.issues;
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('provider resolvers', () => {
  it('turns a registered provider type into a connection, and the tools work', async () => {
    const seen: { entry: ProviderEntry; context: ProviderResolverContext }[] = [];
    const registry = await createRegistry({
      servers: [
        {
          name: 'crm',
          isCustom: true,
          customType: 'acme-cloud',
          config: { workspace: 'crm', api_key: '${ACME_API_KEY}' },
          enabledTools: ['create_contact', 'search_contacts'],
        },
        {
          name: 'weather',
          customType: 'http',
          config: { url: catalogue.url('weather'), headers: { Authorization: `Bearer ${token}` } },
        },
      ],
      resolvers: { 'acme-cloud': acmeCloud(seen) },
      env: { ACME_API_KEY: token },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.server('crm')).toMatchObject({
        status: 'active',
        configPath: 'servers[0]',
        toolCount: 2,
      });
      const result = await registry.callTool('crm__create_contact', { email: 'ada@example.com' });
      expect(result.structuredContent).toEqual({
        server: 'crm',
        tool: 'create_contact',
        arguments: { email: 'ada@example.com' },
      });
      // The resolver saw the entry with ${VAR}s expanded, its path, and a live signal.
      expect(seen).toHaveLength(1);
      expect(seen[0]!.entry).toEqual({
        name: 'crm',
        type: 'acme-cloud',
        config: { workspace: 'crm', api_key: token },
        path: 'servers[0]',
      });
      expect(seen[0]!.context.signal.aborted).toBe(false);
      // No secret in what the registry reports.
      expect(JSON.stringify([registry.servers(), registry.stats(), registry.tools()])).not.toContain(token);
    } finally {
      await registry.close();
    }
  });

  it('resolves the seed composio shape, by name in `servers` too', async () => {
    const profiles: Record<string, string> = { prof_gmail: 'gmail', prof_slack: 'slack' };
    const composio: ProviderResolver = ({ config }) => ({
      url: catalogue.url(profiles[String(config.profile_id)] ?? 'none'),
      headers: { Authorization: `Bearer ${token}` },
    });
    const registry = await createRegistry({
      servers: {
        gmail_integration: { isCustom: true, customType: 'composio', config: { profile_id: 'prof_gmail' } },
        slack_integration: { customType: 'composio', config: { profile_id: 'prof_slack' } },
      },
      resolvers: { composio },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.servers().map((server) => [server.name, server.status, server.configPath])).toEqual([
        ['gmail_integration', 'active', 'servers.gmail_integration'],
        ['slack_integration', 'active', 'servers.slack_integration'],
      ]);
      const sent = await registry.callTool('gmail_integration__send_email', {
        to: ['ada@example.com'],
        subject: 'Hi',
        body: 'Hello',
      });
      expect(sent.isError).toBe(false);
    } finally {
      await registry.close();
    }
  });

  it('names an unregistered type and how to register a resolver', async () => {
    const registry = await createRegistry({
      servers: [
        { name: 'gmail_integration', customType: 'composio', config: { profile_id: 'prof_xxx' } },
        {
          name: 'weather',
          customType: 'http',
          config: { url: catalogue.url('weather'), headers: { Authorization: `Bearer ${token}` } },
        },
      ],
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.server('weather')?.status).toBe('active');
      expect(registry.server('gmail_integration')).toMatchObject({
        status: 'failed',
        error: { code: 'CONFIG_INVALID' },
      });
      expect(registry.server('gmail_integration')?.error?.issues).toEqual([
        {
          path: 'servers[0].customType',
          message: expect.stringMatching(
            /unknown customType "composio"; built-in types are sse, http, json.*resolvers: \{ "composio": async \(entry\) =>/,
          ),
        },
      ]);
    } finally {
      await registry.close();
    }
  });

  /** One working provider entry among failing, hanging and misbehaving resolvers and a bad entry. */
  function mixedProviders(onSignal: (signal: AbortSignal) => void): RegistryOptions {
    const working = acmeCloud();
    return {
      servers: [
        { name: 'ok', customType: 'acme-cloud', config: { workspace: 'crm', api_key: token } },
        { name: 'denied', customType: 'failing', config: {} },
        { name: 'slow', customType: 'hanging', config: {} },
        { name: 'odd', customType: 'bad-url', config: {} },
        { name: 'empty', customType: 'nothing', config: {} },
      ],
      mcpServers: { broken: { url: 'ftp://nope' } },
      resolvers: {
        // The resolvers' bound is the 300 ms connect timeout; the working server gets longer.
        'acme-cloud': async (entry, context) => ({
          ...(await working(entry, context)),
          connectTimeoutMs: 30_000,
        }),
        failing: () => {
          throw new Error('profile not found');
        },
        hanging: (_entry, { signal }) => {
          onSignal(signal);
          return new Promise(() => {});
        },
        'bad-url': () => ({ url: 'ftp://example.com', headers: { 'X-Key': 'k' } }),
        nothing: (() => undefined) as unknown as ProviderResolver,
      },
      connectTimeoutMs: 300,
      cache: 'none',
      logger: silentLogger,
    };
  }

  const mixedIssues = [
    { path: 'servers[1]', message: 'the "failing" resolver failed: profile not found' },
    { path: 'servers[2]', message: 'the "hanging" resolver failed: did not answer within 300 ms' },
    {
      path: 'servers[3]',
      message: expect.stringMatching(
        /^the "bad-url" resolver returned an invalid connection: url: expected an http/,
      ),
    },
    { path: 'servers[4]', message: expect.stringContaining('returned undefined; expected a connection') },
    { path: 'mcpServers.broken.url', message: expect.stringContaining('http://') },
  ];

  it('fails each server whose resolver fails, hangs or misbehaves, and starts the others', async () => {
    let aborted: AbortSignal | undefined;
    const registry = await createRegistry(mixedProviders((signal) => (aborted = signal)));
    try {
      expect(registry.server('ok')?.status).toBe('active');
      expect((await registry.callTool('ok__create_contact', { email: 'ada@example.com' })).isError).toBe(
        false,
      );
      const failed = registry.servers().filter((server) => server.status === 'failed');
      expect(failed.map((server) => [server.name, server.error?.code])).toEqual([
        ['broken', 'CONFIG_INVALID'],
        ['denied', 'CONFIG_INVALID'],
        ['slow', 'CONFIG_INVALID'],
        ['odd', 'CONFIG_INVALID'],
        ['empty', 'CONFIG_INVALID'],
      ]);
      expect(failed.flatMap((server) => server.error?.issues ?? [])).toEqual(
        expect.arrayContaining(mixedIssues),
      );
      expect(aborted?.aborted).toBe(true);
      expect(JSON.stringify(registry.servers())).not.toContain(token);
    } finally {
      await registry.close();
    }
  });

  it('with strictConfig, reports them all by path in one error', async () => {
    let aborted: AbortSignal | undefined;
    const issues = await configIssues(
      createRegistry({ ...mixedProviders((signal) => (aborted = signal)), strictConfig: true }),
    );
    expect(issues).toEqual(expect.arrayContaining(mixedIssues));
    expect(issues).toHaveLength(5);
    expect(aborted?.aborted).toBe(true);
  });

  it('refuses a resolver that would replace a built-in type, or is not a function', async () => {
    const issues = await configIssues(
      createRegistry({
        servers: [],
        resolvers: { http: () => ({ url: 'https://x' }), other: 'nope' as unknown as ProviderResolver },
        cache: 'none',
        logger: silentLogger,
      }),
    );
    expect(issues.map((issue) => issue.path).sort()).toEqual(['resolvers.http', 'resolvers.other']);
  });
});
