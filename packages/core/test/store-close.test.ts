/**
 * `close()` releases every handle the stores opened, so a process can end: a child Node process
 * builds a registry whose token store is a Redis URL where nothing listens and whose schema
 * cache is a private Redis that is killed while the registry runs (ioredis then keeps a
 * reconnect timer going). It calls a tool (tokens fetched directly, catalogue kept in memory),
 * closes the registry and does nothing else: it must exit on its own.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthServer, type TestOAuthServer } from './fixtures/oauth-server.js';
import { type ProtectedMCPServer, startProtectedMCPServer } from './fixtures/protected-mcp-server.js';
import { coreRoot, freePort, sourceLoaderPreload } from './support/index.js';
import { type PrivateRedis, startPrivateRedis } from './support/redis-servers.js';

const SECRET = 'store-close-secret-2a61';

let oauth: TestOAuthServer;
let mcp: ProtectedMCPServer;
let privateRedis: PrivateRedis;

beforeAll(async () => {
  oauth = await startOAuthServer({
    clients: [
      { clientId: 'closer', clientSecret: SECRET, authMethod: 'client_secret_basic', scope: 'mcp:tools' },
    ],
  });
  mcp = await startProtectedMCPServer({ issuer: oauth.issuer, jwksUrl: oauth.jwksUrl });
  oauth.defaultResource = mcp.url;
  privateRedis = await startPrivateRedis();
});

afterAll(async () => {
  await privateRedis?.stop();
  await mcp?.close();
  await oauth?.close();
});

/** The child: builds the registry, reports, waits for "go", calls again, closes, and stops doing anything. */
const childScript = `
import { createInterface } from 'node:readline';
const { createRegistry, silentLogger } = await import(process.env.SOURCE_INDEX);
const { createRedisSchemaCache, createRedisTokenStore } = await import(process.env.SOURCE_REDIS);
const warnings = [];
const registry = await createRegistry({
  logger: { ...silentLogger, warn: (message) => warnings.push(message) },
  revalidateAfterMs: 1,
  tokenStore: createRedisTokenStore({ url: process.env.TOKEN_STORE_URL, keyPrefix: 'close-test:' }),
  cache: createRedisSchemaCache({ url: process.env.CACHE_URL, keyPrefix: 'close-test:' }),
  servers: {
    crm: {
      url: process.env.MCP_URL,
      auth: {
        type: 'client_credentials',
        clientId: 'closer',
        clientSecret: process.env.CLIENT_SECRET,
        tokenUrl: process.env.TOKEN_URL,
        scope: 'mcp:tools',
      },
    },
  },
});
const first = await registry.callTool('crm__whoami', {});
console.log(JSON.stringify({ ready: first.text }));
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;
lines.close();
process.stdin.destroy();
// A reconnect relists the tools, and the catalogue is written to the (now dead) cache.
await registry.disableServer('crm');
registry.enableServer('crm');
const second = await registry.callTool('crm__whoami', {});
await registry.prewarm();
await registry.close();
console.log(JSON.stringify({ closed: second.text, warnings }));
`;

describe('closing a registry with Redis stores', () => {
  it('lets the process exit while Redis is down (nothing listening, or killed mid-run)', {
    timeout: 180_000,
  }, async () => {
    const closedPort = await freePort();
    const child = spawn(
      process.execPath,
      ['--import', sourceLoaderPreload, '--input-type=module', '-e', childScript],
      {
        cwd: coreRoot,
        env: {
          ...process.env,
          SOURCE_INDEX: new URL('../src/index.ts', import.meta.url).href,
          SOURCE_REDIS: new URL('../src/redis.ts', import.meta.url).href,
          TOKEN_STORE_URL: `redis://127.0.0.1:${closedPort}`,
          CACHE_URL: privateRedis.url,
          MCP_URL: mcp.url,
          TOKEN_URL: oauth.tokenUrl,
          CLIENT_SECRET: SECRET,
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const reports: Record<string, unknown>[] = [];
    const lines = createInterface({ input: child.stdout });
    let wentOn: () => void = () => {};
    const goSent = new Promise<void>((resolve) => {
      wentOn = resolve;
    });
    lines.on('line', (line) => {
      const report = JSON.parse(line) as Record<string, unknown>;
      reports.push(report);
      if ('ready' in report) {
        // Kill the cache's Redis under the running registry, then let the child go on and close.
        void privateRedis.stop().then(() => {
          child.stdin.end('go\n');
          wentOn();
        });
      }
    });

    // Counted from "go" (the child's start-up on a busy machine is not what is measured), and
    // generous: closing takes well under a second; a leaked reconnect timer never lets it exit.
    const bound = 60_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = await Promise.race([
      exited,
      goSent.then(
        () =>
          new Promise<'still running'>((resolve) => {
            timer = setTimeout(() => resolve('still running'), bound);
          }),
      ),
    ]);
    clearTimeout(timer);
    if (outcome === 'still running') child.kill('SIGKILL');

    expect(outcome, `child stderr:\n${stderr}`).toEqual({ code: 0, signal: null });
    expect(reports[0]).toEqual({ ready: 'closer' });
    const closed = reports[1] as { closed: string; warnings: string[] };
    expect(closed.closed).toBe('closer');
    // The token store was never reachable: one outage, one warning, naming it.
    expect(closed.warnings.filter((line) => /token store/.test(line))).toEqual([
      expect.stringContaining(`Redis token store at redis://127.0.0.1:${closedPort} is unavailable`),
    ]);
    // The cache's Redis died mid-run (a slow first connect on a loaded machine may add an outage).
    const cacheWarnings = closed.warnings.filter((line) => /schema cache/.test(line));
    expect(cacheWarnings.length).toBeGreaterThanOrEqual(1);
    for (const line of cacheWarnings) {
      expect(line).toContain(`Redis schema cache at ${privateRedis.url} is unavailable`);
    }
  });
});
