/**
 * The worker both runtimes run. It only imports public entry points, as an app deployed to
 * Cloudflare Workers or Vercel Edge would:
 * - `/mcp` serves a stateless publisher through `publisher.fetch`;
 * - `/consume?url=…` builds a registry from `@toolwire/core` (memory cache, Streamable HTTP),
 *   connects to the MCP server at `url`, lists its tools, calls one, sends invalid arguments,
 *   and answers with what happened as JSON, so the test asserts on what ran inside the runtime.
 */
import {
  createMemorySchemaCache,
  createRegistry,
  JSONSchemaValidator,
  loadConfig,
  parseServersConfig,
  silentLogger,
  ToolwireError,
} from '@toolwire/core';
import { createPublisher, defineTool } from '@toolwire/publisher';

/** What `/consume` reports; the tests import this type. */
export interface ConsumeReport {
  /** The validation engine the runtime allows (`interpreted` where code generation is off). */
  engine: 'compiled' | 'interpreted';
  tools: string[];
  /** Text of a valid call. */
  sum: string;
  /** The error of a call with invalid arguments, caught before it reached the server. */
  invalid: { code: string; message: string; paths: string[] };
  /** An unknown tool name. */
  unknownTool: { code: string; message: string };
  /** A stdio server on a runtime that cannot start processes. */
  stdio: { code: string; message: string };
  /** `loadConfig` on a runtime without a file system. */
  loadConfig: { code: string; message: string };
  /** A config error, typed and located. */
  config: { code: string; message: string };
  stats: { calls: number; errors: number };
  /** A second registry sharing the first one's memory cache, lazy: its tools without a connection. */
  warmStart: { tools: string[]; status: string | undefined };
}

const addSchema = {
  type: 'object',
  properties: { a: { type: 'number' }, b: { type: 'number' } },
  required: ['a', 'b'],
  additionalProperties: false,
} as const;

// At module scope, as `export default { fetch: publisher.fetch }` apps create it: creating a
// publisher must draw no random value and start no timer (Workers forbid both there).
const publisher = createPublisher({
  name: 'runtime-worker',
  version: '1.0.0',
  http: { stateless: true },
  tools: [
    defineTool({
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: addSchema,
      execute: ({ a, b }: { a: number; b: number }) => `${a + b}`,
    }),
    defineTool({
      name: 'runtime',
      description: 'Names the runtime serving this call.',
      execute: () => runtimeName(),
    }),
  ],
});

/** `edge-runtime` defines the `EdgeRuntime` global (as Vercel Edge does); workerd names itself. */
function runtimeName(): string {
  const scope = globalThis as { EdgeRuntime?: unknown; navigator?: { userAgent?: string } };
  if (typeof scope.EdgeRuntime === 'string') return `edge-runtime (${scope.EdgeRuntime})`;
  return scope.navigator?.userAgent ?? 'unknown';
}

function failure(error: unknown): { code: string; message: string } {
  if (ToolwireError.isInstance(error)) return { code: error.code, message: error.message };
  return { code: 'NOT_A_TOOLWIRE_ERROR', message: String(error) };
}

async function expectFailure(run: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    return failure(error);
  }
  return { code: 'NO_ERROR', message: 'the call succeeded' };
}

async function consume(url: string): Promise<ConsumeReport> {
  const cache = createMemorySchemaCache();
  const registry = await createRegistry({
    servers: { remote: { url } },
    cache,
    loading: 'eager',
    logger: silentLogger,
  });
  try {
    const tools = registry.tools().map((tool) => tool.name);
    const sum = (await registry.callTool('remote__add', { a: 2, b: 3 })).text;
    let invalid: ConsumeReport['invalid'] = { code: 'NO_ERROR', message: '', paths: [] };
    try {
      await registry.callTool('remote__add', { a: 'two', c: 1 });
    } catch (error) {
      const issues = (error as { issues?: { pathText: string }[] }).issues ?? [];
      invalid = { ...failure(error), paths: issues.map((issue) => issue.pathText) };
    }
    const unknownTool = await expectFailure(() => registry.callTool('remote__subtract', {}));
    const stats = registry.stats();
    return {
      engine: new JSONSchemaValidator().engine,
      tools,
      sum,
      invalid,
      unknownTool,
      stdio: await stdioFailure(),
      loadConfig: await expectFailure(() => loadConfig('/etc/mcp.json')),
      config: await expectFailure(async () => parseServersConfig({ servers: { broken: { url: 42 } } })),
      stats: { calls: stats.calls, errors: stats.errors },
      warmStart: await warmStart(url, cache),
    };
  } finally {
    await registry.close();
  }
}

async function warmStart(url: string, cache: ReturnType<typeof createMemorySchemaCache>) {
  const registry = await createRegistry({
    servers: { remote: { url } },
    cache,
    loading: 'lazy',
    logger: silentLogger,
  });
  try {
    return { tools: registry.tools().map((tool) => tool.name), status: registry.server('remote')?.status };
  } finally {
    await registry.close();
  }
}

async function stdioFailure(): Promise<{ code: string; message: string }> {
  // Eager: the registry tries to start the server, fails it alone, and keeps the reason.
  const registry = await createRegistry({
    servers: { local: { command: 'node', args: ['server.js'] } },
    cache: 'memory',
    loading: 'eager',
    logger: silentLogger,
  });
  try {
    return registry.server('local')?.error ?? { code: 'NO_ERROR', message: 'the server did not fail' };
  } finally {
    await registry.close();
  }
}

/** The worker's one entry point, shared by the workerd module and the edge-runtime script. */
export async function handle(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/mcp') return publisher.fetch(request);
  if (url.pathname === '/consume') {
    const target = url.searchParams.get('url');
    if (!target) return new Response('missing ?url=', { status: 400 });
    try {
      return Response.json(await consume(target));
    } catch (error) {
      return Response.json({ error: failure(error) }, { status: 500 });
    }
  }
  return new Response('not found', { status: 404 });
}
