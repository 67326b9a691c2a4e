/**
 * Builds the `ToolContext` a running tool receives from the SDK's request context: its signal,
 * the caller, and the channels back to the client. Progress and log messages wait while the
 * client's response stream is full (backpressure), so a client that stops reading slows the
 * tool instead of growing the server's memory; after the call is aborted they are dropped.
 */
import {
  type CreateMessageResult,
  type ElicitResult,
  inputRequired,
  type McpServer,
  MissingRequiredClientCapabilityError,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { ToolwireError } from '@toolwire/core';
import type { ProtocolEra, ToolContext } from '../tools/tool-context.js';
import type { CallChannel } from './call-channel.js';
import type { InputRounds } from './input-rounds.js';

export interface ToolContextSource {
  server: McpServer;
  context: ServerContext;
  era: ProtocolEra;
  /** The call's own signal (client cancel, disconnect, deadline, shutdown). */
  signal: AbortSignal;
  channel: CallChannel | undefined;
  rounds: InputRounds | undefined;
}

export function createToolContext({
  server,
  context,
  era,
  signal,
  channel,
  rounds,
}: ToolContextSource): ToolContext {
  const capabilities = server.server.getClientCapabilities();
  const progressToken = context.mcpReq._meta?.progressToken;
  const canElicit = capabilities?.elicitation !== undefined;
  const canSample = capabilities?.sampling !== undefined;
  const canListRoots = capabilities?.roots !== undefined;
  /** Waits for room on the response stream; false when the call has ended meanwhile. */
  const roomToSend = async (): Promise<boolean> => {
    if (signal.aborted) return false;
    if (channel) await channel.writable(signal);
    return !signal.aborted;
  };
  return {
    signal,
    sessionId: context.sessionId,
    authInfo: context.http?.authInfo,
    requestId: context.mcpReq.id,
    era,
    clientInfo: server.server.getClientVersion(),
    clientCapabilities: capabilities,
    sdkContext: context,
    canElicit,
    canSample,
    canListRoots,
    async reportProgress({ progress, total, message }) {
      if (progressToken === undefined || !(await roomToSend())) return;
      await context.mcpReq.notify({
        method: 'notifications/progress',
        params: {
          progressToken,
          progress,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        },
      });
    },
    async log(level, data, logger) {
      if (!(await roomToSend())) return;
      await context.mcpReq.log(level, data, logger);
    },
    async elicit(request, options): Promise<ElicitResult> {
      if (!canElicit) throw unsupported('elicitation', era);
      if (rounds) {
        const view = rounds.ask(
          inputRequired.elicit(request as Parameters<typeof inputRequired.elicit>[0]),
          options?.key,
        );
        if (view.kind !== 'elicit') throw unexpectedAnswer('elicitation');
        return view.content === undefined
          ? { action: view.action }
          : { action: view.action, content: view.content as ElicitResult['content'] };
      }
      return context.mcpReq.elicitInput(
        { mode: 'form', ...request } as Parameters<typeof context.mcpReq.elicitInput>[0],
        { signal },
      );
    },
    async sample(request, options): Promise<CreateMessageResult> {
      if (!canSample) throw unsupported('sampling', era);
      if (rounds) {
        const view = rounds.ask(inputRequired.createMessage(request), options?.key);
        if (view.kind !== 'sampling') throw unexpectedAnswer('sampling');
        return view.result as CreateMessageResult;
      }
      return (await context.mcpReq.requestSampling(request, { signal })) as CreateMessageResult;
    },
    async listRoots(options) {
      if (!canListRoots) throw unsupported('roots', era);
      if (rounds) {
        const view = rounds.ask(inputRequired.listRoots(), options?.key);
        if (view.kind !== 'roots') throw unexpectedAnswer('roots');
        return view.roots;
      }
      const result = await context.mcpReq.send({ method: 'roots/list' }, { signal });
      return result.roots;
    },
  };
}

function unsupported(feature: 'elicitation' | 'sampling' | 'roots', era: ProtocolEra): Error {
  if (era === 'modern') {
    return new MissingRequiredClientCapabilityError(
      { requiredCapabilities: { [feature]: {} } },
      `The client did not declare the ${feature} capability.`,
    );
  }
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    message: `The client did not declare the ${feature} capability.`,
  });
}

function unexpectedAnswer(feature: string): ToolwireError {
  return new ToolwireError({
    code: 'PROTOCOL_ERROR',
    message: `The client answered the ${feature} request with a response of another kind.`,
  });
}
