/**
 * The choices a connection makes before and while it connects: which transport to open for a
 * kind, the SDK client's capabilities and protocol-version negotiation, the cached era verdict
 * that lets a `protocol: 'auto'` server skip the probe, when a refused Streamable HTTP attempt
 * falls back to SSE, and when a failure may mean cached hints were stale.
 */
import type {
  ClientOptions,
  DiscoverResult,
  jsonSchemaValidator,
  PriorDiscovery,
  Transport,
} from '@modelcontextprotocol/client';
import type { HttpServerDefinition, ServerDefinition } from '../config/server-config.js';
import type { ToolwireError } from '../errors/toolwire-error.js';
import { TASKS_EXTENSION } from '../tasks/task-wire.js';
import { createSSETransport, createStreamableHTTPTransport } from '../transports/http-transport.js';
import type { TransportContext } from '../transports/transport-context.js';
import type { ServerRequestSetup } from './server-traffic.js';

/** The transport a connection ended up on. */
export type ConnectedTransportKind = 'stdio' | 'streamable-http' | 'sse';

/** What an earlier connection learned (from the schema cache), to connect faster next time. */
export interface ConnectionHints {
  era: 'modern' | 'legacy' | undefined;
  discover: DiscoverResult | undefined;
  connectedTransport: ConnectedTransportKind | undefined;
}

/** Opens the transport of `kind` for `definition` (stdio is loaded on demand: Node-only). */
export async function openTransport(
  kind: ConnectedTransportKind,
  definition: ServerDefinition,
  context: TransportContext,
): Promise<Transport> {
  if (kind === 'stdio') {
    if (definition.transport !== 'stdio') throw new Error('unreachable: stdio transport for an HTTP server');
    // Node-only, loaded on demand; `#stdio-transport` is a stub on other runtimes (package.json imports).
    const { createStdioTransport } = await import('#stdio-transport');
    return createStdioTransport(definition, context);
  }
  if (kind === 'sse') return createSSETransport(definition as HttpServerDefinition, context);
  return createStreamableHTTPTransport(definition as HttpServerDefinition, context);
}

/**
 * The SDK client's capabilities (elicitation and sampling only when someone answers them; tasks
 * always), its output validator, and the protocol-version negotiation the definition asks for.
 */
export function clientOptionsFor(
  definition: ServerDefinition,
  serverRequests: ServerRequestSetup | undefined,
  validator: jsonSchemaValidator | undefined,
): Pick<ClientOptions, 'capabilities' | 'jsonSchemaValidator' | 'versionNegotiation'> {
  return {
    capabilities: {
      ...(serverRequests?.elicitation ? { elicitation: { form: {} } } : {}),
      ...(serverRequests?.sampling ? { sampling: {} } : {}),
      // The list is read on each request; no `roots/list_changed` is sent, so no `listChanged`.
      ...(serverRequests?.roots ? { roots: {} } : {}),
      // Tool calls may become tasks (SEP-2663): `tasks/` follows them (tasks/follow-task.ts).
      extensions: { [TASKS_EXTENSION]: {} },
    },
    ...(validator ? { jsonSchemaValidator: validator } : {}),
    ...(definition.protocol === 'legacy'
      ? {}
      : {
          versionNegotiation: {
            mode: definition.protocol === 'auto' ? 'auto' : { pin: definition.protocol },
          },
        }),
  };
}

/** The cached era verdict, for servers that would otherwise probe (`protocol: 'auto'`). */
export function priorDiscoveryFor(
  definition: ServerDefinition,
  hints: ConnectionHints | undefined,
): PriorDiscovery | undefined {
  if (!hints || definition.protocol !== 'auto') return undefined;
  if (hints.era === 'modern' && hints.discover) return { kind: 'modern', discover: hints.discover };
  if (hints.era === 'legacy') return { kind: 'legacy' };
  return undefined;
}

/** Whether a failed connect may be the cached hints' fault (not a server that is down or slow). */
export function mayBeStaleHint(error: ToolwireError): boolean {
  if (error.code !== 'CONNECT_FAILED' && error.code !== 'PROTOCOL_ERROR' && error.code !== 'TOOL_ERROR') {
    return false;
  }
  return !/did not finish connecting|connection refused|host not found|was not found|not executable/.test(
    error.message,
  );
}

/** A bare `url` falls back to SSE when the server rejects a Streamable HTTP POST as unsupported. */
export function shouldFallBackToSSE(error: unknown): boolean {
  const status =
    (error as { status?: unknown; data?: { status?: unknown } } | undefined)?.status ??
    (error as { data?: { status?: unknown } } | undefined)?.data?.status;
  if (typeof status === 'number') return status === 400 || status === 404 || status === 405 || status === 406;
  const message = String((error as Error | undefined)?.message ?? '');
  return /\b(40[0456])\b|unexpected content type|content-type/i.test(message);
}
