/**
 * Runs a tool call through its interceptors: registry ones outside, the call's own inside, each
 * list in order. An interceptor's own failure (a throw that is not a toolwire error, a bad header,
 * something that is not a result) becomes `INTERCEPTOR_FAILED`; errors coming back from `next()`
 * pass through untouched. The registry redacts whatever leaves here, like every other error.
 */
import { ToolwireError } from '../errors/toolwire-error.js';
import { normalizeToolResult, type ToolCallResult } from '../results/tool-call-result.js';
import { REQUEST_CONTEXT_HEADER } from '../transports/request-contexts.js';
import type { ToolCallChanges, ToolCallContext, ToolCallInterceptor } from './interceptor-types.js';

/** The header names an interceptor may not set: the protocol's, the transport's and the auth layer's. */
const RESERVED_HEADERS = new Set([
  'accept',
  'authorization',
  'content-length',
  'content-type',
  'host',
  'last-event-id',
  REQUEST_CONTEXT_HEADER,
]);
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An interceptor with where it was given, for error messages. */
export interface PlacedInterceptor {
  interceptor: ToolCallInterceptor;
  /** e.g. `registry interceptor 1` or `call interceptor 2`. */
  label: string;
}

/**
 * Checks an `interceptors` option (registry or call) and labels its entries; `INVALID_OPTIONS`
 * naming the entry when one is not a function.
 */
export function placeInterceptors(
  value: unknown,
  where: 'registry' | 'call',
  context: { server?: string | undefined; tool?: string | undefined } = {},
): PlacedInterceptor[] {
  if (value === undefined) return [];
  const option = where === 'registry' ? 'createRegistry({ interceptors })' : 'callTool options.interceptors';
  if (!Array.isArray(value)) {
    throw new ToolwireError({
      code: 'INVALID_OPTIONS',
      ...context,
      message: `${option} must be an array of functions (context, next) => result, got ${typeof value}`,
    });
  }
  return value.map((interceptor, index) => {
    if (typeof interceptor !== 'function') {
      throw new ToolwireError({
        code: 'INVALID_OPTIONS',
        ...context,
        message: `${option}[${index}] must be a function (context, next) => result, got ${interceptor === null ? 'null' : typeof interceptor}`,
      });
    }
    const named = interceptor.name ? ` ("${interceptor.name}")` : '';
    return {
      interceptor: interceptor as ToolCallInterceptor,
      label: `${where} interceptor ${index + 1}${named}`,
    };
  });
}

/**
 * Calls `send` with the context the interceptors hand on (or not at all, when one answers
 * itself). Without interceptors it is a plain call of `send`.
 */
export async function runInterceptors(
  interceptors: readonly PlacedInterceptor[],
  initial: ToolCallContext,
  send: (context: ToolCallContext) => Promise<ToolCallResult>,
): Promise<ToolCallResult> {
  const step = async (index: number, context: ToolCallContext): Promise<ToolCallResult> => {
    const placed = interceptors[index];
    if (!placed) return send(context);
    const passedThrough = new Set<unknown>();
    const next = async (changes?: ToolCallChanges): Promise<ToolCallResult> => {
      const changed = applyChanges(context, changes, placed.label);
      try {
        return await step(index + 1, changed);
      } catch (error) {
        passedThrough.add(error);
        throw error;
      }
    };
    let result: unknown;
    try {
      result = await placed.interceptor(context, next);
    } catch (error) {
      if (passedThrough.has(error) || ToolwireError.isInstance(error)) throw error;
      throw failed(context, `${placed.label} threw: ${errorText(error)}`, error);
    }
    return checkResult(result, context, placed.label);
  };
  return step(0, initial);
}

function applyChanges(
  context: ToolCallContext,
  changes: ToolCallChanges | undefined,
  label: string,
): ToolCallContext {
  if (changes === undefined) return context;
  if (typeof changes !== 'object' || changes === null) {
    throw failed(
      context,
      `${label} called next() with ${typeof changes}; pass { arguments?, headers? } or nothing`,
    );
  }
  let { arguments: args, headers } = context;
  if (changes.arguments !== undefined) {
    if (
      typeof changes.arguments !== 'object' ||
      changes.arguments === null ||
      Array.isArray(changes.arguments)
    ) {
      throw failed(context, `${label} passed arguments that are not an object`);
    }
    args = changes.arguments;
  }
  if (changes.headers !== undefined) headers = mergeHeaders(context, headers, changes.headers, label);
  const meta = changes.meta === undefined ? context.meta : mergeMeta(context, changes.meta, label);
  return { ...context, arguments: args, headers, meta };
}

function mergeHeaders(
  context: ToolCallContext,
  current: Readonly<Record<string, string>>,
  added: unknown,
  label: string,
): Record<string, string> {
  if (typeof added !== 'object' || added === null || Array.isArray(added)) {
    throw failed(context, `${label} passed headers that are not an object of strings`);
  }
  const merged: Record<string, string> = { ...current };
  for (const [rawName, value] of Object.entries(added)) {
    const name = rawName.toLowerCase();
    if (!HEADER_NAME.test(name)) throw failed(context, `${label} set an invalid header name "${rawName}"`);
    if (RESERVED_HEADERS.has(name) || name.startsWith('mcp-')) {
      throw failed(
        context,
        `${label} may not set header "${rawName}" (reserved for the protocol, transport or auth layer; configure auth through the server's "auth" or "headers")`,
      );
    }
    // The value is never quoted: it may be a credential.
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
      throw failed(context, `${label} set header "${rawName}" to a value that is not a single-line string`);
    }
    merged[name] = value;
  }
  return merged;
}

function mergeMeta(context: ToolCallContext, added: unknown, label: string): Record<string, unknown> {
  if (typeof added !== 'object' || added === null || Array.isArray(added)) {
    throw failed(context, `${label} passed meta that is not an object`);
  }
  for (const key of Object.keys(added)) {
    // The protocol's own: the progress token and the `modelcontextprotocol`/`mcp` prefixes.
    const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
    const labels = prefix.split('.');
    if (key === 'progressToken' || labels.includes('modelcontextprotocol') || labels.includes('mcp')) {
      throw failed(context, `${label} may not set the reserved _meta key "${key}"`);
    }
  }
  return { ...context.meta, ...added };
}

function checkResult(result: unknown, context: ToolCallContext, label: string): ToolCallResult {
  const candidate = result as Partial<ToolCallResult> | null | undefined;
  if (typeof candidate !== 'object' || candidate === null || !Array.isArray(candidate.content)) {
    throw failed(
      context,
      `${label} returned ${candidate === null ? 'null' : typeof candidate} instead of a tool result (use the result of next() or createToolCallResult())`,
    );
  }
  return candidate as ToolCallResult;
}

/**
 * Builds a tool result for an interceptor that answers a call itself (without `next()`), from
 * MCP result fields: `content` blocks, optional `structuredContent` and `isError`.
 *
 * @example
 * ```ts
 * const cached: ToolCallInterceptor = async (context, next) =>
 *   context.arguments.city === 'Oslo'
 *     ? createToolCallResult(context, { content: [{ type: 'text', text: 'Rain' }] })
 *     : next();
 * ```
 */
export function createToolCallResult(
  context: Pick<ToolCallContext, 'tool' | 'server' | 'serverToolName'>,
  result: {
    content: ToolCallResult['content'];
    structuredContent?: Record<string, unknown> | undefined;
    isError?: boolean | undefined;
    _meta?: Record<string, unknown> | undefined;
  },
): ToolCallResult {
  return normalizeToolResult(result, {
    tool: context.tool,
    server: context.server,
    serverToolName: context.serverToolName,
    durationMs: 0,
  });
}

function failed(context: ToolCallContext, message: string, cause?: unknown): ToolwireError {
  return new ToolwireError({
    code: 'INTERCEPTOR_FAILED',
    server: context.server,
    tool: context.tool,
    message: `Call to tool "${context.tool}": ${message}`,
    ...(cause === undefined ? {} : { cause }),
  });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
