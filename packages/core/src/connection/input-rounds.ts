/**
 * 2026-07-28 input rounds for one tool call, answered by that call's own handlers. The SDK's
 * automatic rounds answer through the handlers registered on the client, which cannot tell which
 * of several concurrent calls a round belongs to; a call with handlers of its own (or of its
 * conversation, on a shared connection) runs its rounds here instead, on the SDK's manual path
 * (`allowInputRequired`), with the same round cap, pacing and total deadline as the SDK's.
 */
import {
  type CallToolRequest,
  type CallToolResult,
  type Client,
  isInputRequiredResult,
  type jsonSchemaValidator,
  type RequestOptions,
  SdkError,
  SdkErrorCode,
  type Tool,
} from '@modelcontextprotocol/client';
import { ToolwireError } from '../errors/toolwire-error.js';
import { SERVER_REQUEST_METHODS, type ServerRequestMethod } from './server-requests.js';
import { checkStructuredContent } from './structured-content-check.js';

/** The SDK's own cap: a server still asking after this many rounds fails the call. */
const MAX_INPUT_ROUNDS = 10;
/** The SDK's pacing before re-sending a round that carried only `requestState` (load shedding). */
const STATE_ONLY_ROUND_PACING_MS = 250;

export interface InputRoundsCall {
  client: Client;
  params: CallToolRequest['params'];
  /** Signal and headers of the call; `timeoutMs` bounds all its rounds together. */
  requestOptions: Pick<RequestOptions, 'signal' | 'headers'>;
  timeoutMs: number;
  /** The tool as listed (its `outputSchema` is checked here, its `x-mcp-header` parameters mirrored). */
  tool: Tool | undefined;
  validator: jsonSchemaValidator | undefined;
  server: string;
  toolName: string;
  /** Answers one embedded request (the round's `key` for it) through the call's handlers. */
  answer(method: ServerRequestMethod, params: unknown, signal: AbortSignal, key: string): Promise<unknown>;
}

export async function callToolAnsweringRounds(call: InputRoundsCall): Promise<CallToolResult> {
  const started = Date.now();
  // Without its outputSchema the SDK leaves the result alone (an input_required result has no
  // structuredContent and would fail its check); the final result is checked below instead.
  const toolDefinition = call.tool ? { ...call.tool, outputSchema: undefined } : undefined;
  let params = call.params;
  for (let round = 1; ; round++) {
    const remaining = call.timeoutMs - (Date.now() - started);
    if (remaining <= 0) {
      throw new SdkError(SdkErrorCode.RequestTimeout, 'Maximum total timeout exceeded', {
        maxTotalTimeout: call.timeoutMs,
      });
    }
    const result: unknown = await call.client.callTool(params, {
      ...call.requestOptions,
      timeout: remaining,
      maxTotalTimeout: remaining,
      allowInputRequired: true,
      ...(toolDefinition ? { toolDefinition: toolDefinition as Tool } : {}),
    });
    if (!isInputRequiredResult(result)) {
      checkStructuredContent(result as CallToolResult, call.tool, call.params.name, call);
      return result as CallToolResult;
    }
    if (round >= MAX_INPUT_ROUNDS) {
      throw new ToolwireError({
        code: 'PROTOCOL_ERROR',
        server: call.server,
        tool: call.toolName,
        message: `Server "${call.server}" still asked for input after ${MAX_INPUT_ROUNDS} rounds of "${call.toolName}"`,
      });
    }
    const entries = Object.entries(result.inputRequests ?? {});
    let responses: Record<string, unknown> | undefined;
    const left = call.timeoutMs - (Date.now() - started);
    if (entries.length > 0) responses = await answerRound(entries, call, Math.max(left, 1));
    else await pause(STATE_ONLY_ROUND_PACING_MS, call.requestOptions.signal);
    params = {
      ...call.params,
      ...(responses ? { inputResponses: responses } : {}),
      ...(result.requestState === undefined ? {} : { requestState: result.requestState }),
    } as CallToolRequest['params'];
  }
}

/** Answers every request of one round together; the first failure stops the others. */
async function answerRound(
  entries: [string, unknown][],
  call: InputRoundsCall,
  leftMs: number,
): Promise<Record<string, unknown>> {
  const round = new AbortController();
  const outer = call.requestOptions.signal;
  const forward = () => round.abort(outer?.reason);
  if (outer?.aborted) forward();
  else outer?.addEventListener('abort', forward, { once: true });
  // The handlers answer within what is left of the call's own time, as the server's legs do.
  const deadline = setTimeout(
    () =>
      round.abort(
        new ToolwireError({
          code: 'TIMEOUT',
          server: call.server,
          tool: call.toolName,
          message: `Tool "${call.toolName}" timed out after ${call.timeoutMs} ms while its handlers were answering server "${call.server}"`,
        }),
      ),
    leftMs,
  );
  try {
    const answered = await Promise.all(
      entries.map(async ([key, entry]) => {
        const { method, params } = (entry ?? {}) as { method?: unknown; params?: unknown };
        if (!SERVER_REQUEST_METHODS.includes(method as ServerRequestMethod)) {
          throw new ToolwireError({
            code: 'PROTOCOL_ERROR',
            server: call.server,
            tool: call.toolName,
            message: `Server "${call.server}" asked "${call.toolName}"'s caller for ${JSON.stringify(String(method)).slice(0, 80)} (input "${key.slice(0, 80)}"), which this client does not offer`,
          });
        }
        try {
          return [key, await call.answer(method as ServerRequestMethod, params, round.signal, key)] as const;
        } catch (error) {
          round.abort(error);
          throw error;
        }
      }),
    );
    return Object.fromEntries(answered);
  } finally {
    clearTimeout(deadline);
    outer?.removeEventListener('abort', forward);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
