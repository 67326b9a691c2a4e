/**
 * Maps whatever the SDK, `fetch` or `child_process` threw into a `ToolwireError` whose message
 * says what happened in plain words. URLs are shown without query strings or credentials, so
 * an API key in a URL never reaches a message.
 */
import {
  InsufficientScopeError,
  OAuthClientFlowError,
  OAuthError,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  UnauthorizedError,
} from '@modelcontextprotocol/client';
import type { ServerDefinition } from '../config/server-config.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { redactURLs, safeUrl } from '../redaction/safe-url.js';
import { isTasksRequiredRefusal } from '../tasks/task-opt-out.js';
import { inboundFaultOf } from '../transports/inbound-guard.js';
import { isAbortError } from '../util/abort.js';
import { describeHttpStatus, httpStatusOf } from './http-status-text.js';

/** Kept for existing imports; the home of `safeUrl` is `redaction/safe-url.ts`. */
export { safeUrl };

export function toConnectError(
  error: unknown,
  definition: ServerDefinition,
  stderrHint: string,
): ToolwireError {
  const server = definition.name;
  const where = describeTarget(definition);
  const status = httpStatus(error);
  if (
    UnauthorizedError.isInstance(error) &&
    definition.transport !== 'stdio' &&
    definition.auth?.type === 'oauth'
  ) {
    return new ToolwireError({
      code: 'AUTH_FAILED',
      server,
      cause: error,
      message: `Server "${server}" needs the user's authorization: its OAuth provider was asked to redirect the user; on the redirect, call finishOAuth() and then registry.refresh("${server}")`,
    });
  }
  if (InsufficientScopeError.isInstance(error)) return insufficientScope(error, server, undefined);
  if (OAuthClientFlowError.isInstance(error) || OAuthError.isInstance(error)) {
    return new ToolwireError({
      code: 'AUTH_FAILED',
      server,
      cause: error,
      message: `Server "${server}" could not be authorized: ${redactURLs(messageOf(error))}`,
    });
  }
  if (
    UnauthorizedError.isInstance(error) ||
    status === 401 ||
    status === 403 ||
    isSdkCode(error, SdkErrorCode.ClientHttpAuthentication) ||
    isSdkCode(error, SdkErrorCode.ClientHttpForbidden)
  ) {
    return new ToolwireError({
      code: 'AUTH_FAILED',
      server,
      cause: error,
      message: `Server "${server}" rejected our credentials (${status ?? 401}) at ${where}; check its auth or headers`,
    });
  }
  const systemCode = errorCode(error);
  let reason: string;
  if (systemCode === 'ENOENT' && definition.transport === 'stdio') {
    reason = `command "${definition.command}" was not found; is it installed and on PATH?`;
  } else if (systemCode === 'EACCES' && definition.transport === 'stdio') {
    reason = `command "${definition.command}" is not executable (EACCES)`;
  } else if (systemCode === 'ECONNREFUSED') {
    reason = `connection refused at ${where}; is the server running?`;
  } else if (systemCode === 'ENOTFOUND' || systemCode === 'EAI_AGAIN') {
    reason = `host not found for ${where}`;
  } else if (status !== undefined) {
    reason = describeHttpStatus(status, where);
  } else if (isSdkCode(error, SdkErrorCode.ConnectionClosed)) {
    reason =
      definition.transport === 'stdio'
        ? 'the server process exited during start-up'
        : `the connection to ${where} closed during start-up`;
  } else if (isSdkCode(error, SdkErrorCode.RequestTimeout)) {
    reason = 'the server did not answer the handshake in time';
  } else {
    reason = redactURLs(describeChain(error));
  }
  return new ToolwireError({
    code: 'CONNECT_FAILED',
    server,
    cause: error,
    message: `Server "${server}" failed to connect: ${reason}${stderrHint}`,
  });
}

export interface CallErrorContext {
  server: string;
  tool: string;
  timeoutMs: number;
  aborted: boolean;
  closed: boolean;
  stderrHint: string;
}

export function toToolwireError(error: unknown, context: CallErrorContext): ToolwireError {
  if (ToolwireError.isInstance(error)) return error;
  const { server, tool } = context;
  const fault = inboundFaultOf(error);
  if (fault?.kind === 'too-large') return resultTooLarge(server, tool, fault.limitBytes, error);
  if (fault?.kind === 'stream-ended') {
    return new ToolwireError({
      code: 'SERVER_CLOSED',
      server,
      tool,
      cause: error,
      message: `The response stream of server "${server}" ended during the call to "${tool}" before its reply (cut, or its resumption refused); the call may or may not have run`,
    });
  }
  if (fault?.kind === 'malformed') {
    return new ToolwireError({
      code: 'PROTOCOL_ERROR',
      server,
      tool,
      cause: error,
      message: `Server "${server}" sent a malformed reply to "${tool}": ${fault.detail}`,
    });
  }
  // The caller's abort comes first: the SDK reports it with a timeout-coded error.
  if (context.aborted || isAbortError(error)) {
    return new ToolwireError({
      code: 'CANCELLED',
      server,
      tool,
      cause: error,
      message: `Call to tool "${tool}" was cancelled`,
    });
  }
  if (isSdkCode(error, SdkErrorCode.RequestTimeout)) {
    return new ToolwireError({
      code: 'TIMEOUT',
      server,
      tool,
      cause: error,
      message: `Tool "${tool}" timed out after ${context.timeoutMs} ms`,
    });
  }
  if (
    context.closed ||
    isSdkCode(error, SdkErrorCode.ConnectionClosed) ||
    isSdkCode(error, SdkErrorCode.NotConnected)
  ) {
    return new ToolwireError({
      code: 'SERVER_CLOSED',
      server,
      tool,
      cause: error,
      message: `Server "${server}" closed the connection during the call to "${tool}"${context.stderrHint}`,
    });
  }
  const status = httpStatus(error);
  if (InsufficientScopeError.isInstance(error)) return insufficientScope(error, server, tool);
  if (UnauthorizedError.isInstance(error) || status === 401 || status === 403) {
    return new ToolwireError({
      code: 'AUTH_FAILED',
      server,
      tool,
      cause: error,
      message: `Server "${server}" rejected our credentials (${status ?? 401}) calling "${tool}"`,
    });
  }
  if (ProtocolError.isInstance(error)) {
    const protocolError = {
      code: error.code,
      message: error.message,
      ...(error.data === undefined ? {} : { data: error.data }),
    };
    if (isTasksRequiredRefusal(error.code, error.data)) {
      return new ToolwireError({
        code: 'TASK_REQUIRED',
        server,
        tool,
        cause: error,
        protocolError,
        message: `Server "${server}" runs "${tool}" only as a task, and the call declared no Tasks extension (tasks: false); it refused the call (JSON-RPC ${error.code})`,
      });
    }
    return new ToolwireError({
      code: 'TOOL_ERROR',
      server,
      tool,
      cause: error,
      protocolError,
      message: `Server "${server}" rejected the call to "${tool}": ${redactURLs(messageOf(error))} (JSON-RPC ${error.code})`,
    });
  }
  if (isSdkCode(error, SdkErrorCode.InvalidResult)) {
    return new ToolwireError({
      code: 'PROTOCOL_ERROR',
      server,
      tool,
      cause: error,
      message: `Server "${server}" sent an invalid result for "${tool}": ${messageOf(error)}`,
    });
  }
  return new ToolwireError({
    code: 'TOOL_ERROR',
    server,
    tool,
    cause: error,
    message: `Call to "${tool}" on server "${server}" failed: ${redactURLs(messageOf(error))}`,
  });
}

/** A reply past the server's message size limit: names the limit and how to raise it. */
export function resultTooLarge(
  server: string,
  tool: string,
  limitBytes: number,
  cause?: unknown,
): ToolwireError {
  return new ToolwireError({
    code: 'RESULT_TOO_LARGE',
    server,
    tool,
    cause,
    message: `The reply of server "${server}" to "${tool}" is larger than its message size limit (${limitBytes} bytes) and was not read; raise "maxMessageBytes" for this server (or registry-wide) if such results are expected`,
  });
}

/** A 403 `insufficient_scope` challenge our credentials cannot step up to. */
function insufficientScope(
  error: InsufficientScopeError,
  server: string,
  tool: string | undefined,
): ToolwireError {
  const scope = error.requiredScope ? ` "${error.requiredScope.slice(0, 200)}"` : '';
  return new ToolwireError({
    code: 'AUTH_FAILED',
    server,
    tool,
    cause: error,
    message: `Server "${server}" requires scope${scope}${tool ? ` for "${tool}"` : ''}, which our token does not carry; request it in the auth config's "scope"`,
  });
}

function describeTarget(definition: ServerDefinition): string {
  if (definition.transport === 'stdio') return `command "${definition.command}"`;
  return safeUrl(definition.url);
}

function isSdkCode(error: unknown, code: SdkErrorCode): boolean {
  return SdkError.isInstance(error) && error.code === code;
}

function httpStatus(error: unknown): number | undefined {
  return httpStatusOf(error);
}

const systemCodes = new Set([
  'ENOENT',
  'EACCES',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** The first operating-system error code in the cause chain (SDK codes such as `ERA_NEGOTIATION_FAILED` are skipped). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && systemCodes.has(code)) return code;
    current = causeOf(current);
  }
  return undefined;
}

/** The error's message plus its root cause's (`fetch failed` alone says nothing; `bad port` does). */
function describeChain(error: unknown): string {
  const top = messageOf(error);
  let root: unknown = error;
  for (let depth = 0; depth < 6; depth++) {
    const next = causeOf(root);
    if (next === undefined || next === null) break;
    root = next;
  }
  const rootMessage = root === error ? '' : messageOf(root);
  return rootMessage && !top.includes(rootMessage) ? `${top} (${rootMessage})` : top;
}

/** The next error in the chain: `cause`, or `data.cause` where the SDK keeps it. */
function causeOf(error: unknown): unknown {
  const candidate = error as { cause?: unknown; data?: { cause?: unknown } } | undefined;
  return candidate?.cause ?? candidate?.data?.cause;
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
