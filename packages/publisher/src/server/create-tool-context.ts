/**
 * Builds the context a running tool or prompt receives from the SDK's request context: its
 * signal, the caller, and the channels back to the client. Progress and log messages (tools) wait
 * while the client's response stream is full (backpressure), so a client that stops reading slows
 * the tool instead of growing the server's memory; after the call is aborted they are dropped.
 */
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';
import { createInputContext, type TaskQuestions } from '../input/create-input-context.js';
import type { InputRounds } from '../input/input-rounds.js';
import { clientSupportsTasks } from '../tasks/task-call.js';
import type { ProtocolEra, RequestContext, ToolContext } from '../tools/tool-context.js';
import type { CallChannel } from './call-channel.js';

export interface RequestContextSource {
  server: McpServer;
  context: ServerContext;
  era: ProtocolEra;
  /** The call's own signal (client cancel, disconnect, deadline, shutdown). */
  signal: AbortSignal;
  /** The call's input rounds on 2026-07-28; `undefined` on the 2025 era. */
  rounds: InputRounds | undefined;
  /** Once the call runs as a task, its questions go there. */
  task?: (() => TaskQuestions | undefined) | undefined;
}

export interface ToolContextSource extends RequestContextSource {
  channel: CallChannel | undefined;
}

/** The context of a running prompt, and the part of a tool's context that is not progress or logs. */
export function createRequestContext({
  server,
  context,
  era,
  signal,
  rounds,
  task,
}: RequestContextSource): RequestContext {
  const capabilities = server.server.getClientCapabilities();
  return {
    ...createInputContext({ context, capabilities, era, signal, rounds, task }),
    signal,
    sessionId: context.sessionId,
    authInfo: context.http?.authInfo,
    requestId: context.mcpReq.id,
    era,
    clientInfo: server.server.getClientVersion(),
    clientCapabilities: capabilities,
    sdkContext: context,
  };
}

export function createToolContext(source: ToolContextSource): ToolContext {
  const { context, signal, channel } = source;
  const progressToken = context.mcpReq._meta?.progressToken;
  /** Waits for room on the response stream; false when the call has ended meanwhile. */
  const roomToSend = async (): Promise<boolean> => {
    if (signal.aborted) return false;
    if (channel) await channel.writable(signal);
    return !signal.aborted;
  };
  return {
    ...createRequestContext(source),
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
    taskId: undefined,
    tasksDeclared: clientSupportsTasks(source.server, context),
    startTask: async () => false,
  };
}
