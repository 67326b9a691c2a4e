/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` on one connection, with the guarantees of any
 * other request (its own signal, a timeout, errors mapped to `ToolwireError`s). A task the server
 * does not know (never created, expired, or another caller's: it answers `-32602`) is
 * `TASK_NOT_FOUND`. The SDK sends the `Mcp-Name: <taskId>` header these methods need.
 */
import type { StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { ServerConnection } from '../connection/server-connection.js';
import { ToolwireError } from '../errors/toolwire-error.js';
import { parseServerTask, type ServerTask } from './task-wire.js';

/** Accepts any object: the answer is checked by `parseServerTask`. */
const anyResult: StandardSchemaV1<unknown, Record<string, unknown>> = {
  '~standard': {
    version: 1,
    vendor: 'toolwire',
    validate: (value) =>
      typeof value === 'object' && value !== null && !Array.isArray(value)
        ? { value: value as Record<string, unknown> }
        : { issues: [{ message: 'the result must be an object' }] },
  },
};

export interface TaskRequestOptions {
  signal?: AbortSignal | undefined;
  timeoutMs: number;
  sessionKey?: string | undefined;
  /** The registry tool name, for errors. */
  tool?: string | undefined;
}

async function send(
  connection: ServerConnection,
  method: 'tasks/get' | 'tasks/update' | 'tasks/cancel',
  params: Record<string, unknown>,
  options: TaskRequestOptions,
): Promise<Record<string, unknown>> {
  const taskId = String(params.taskId);
  try {
    return await connection.request(method, taskId, options.timeoutMs, options, (client, requestOptions) =>
      client.request({ method, params }, anyResult, requestOptions),
    );
  } catch (error) {
    if (protocolCodeOf(error) === -32602 && method !== 'tasks/update') {
      throw new ToolwireError({
        code: 'TASK_NOT_FOUND',
        server: connection.definition.name,
        tool: options.tool,
        message: `Server "${connection.definition.name}" does not know task "${taskId}" (it never existed, expired, or belongs to another caller).`,
        cause: error,
      });
    }
    if (protocolCodeOf(error) === -32021) {
      throw new ToolwireError({
        code: 'TASK_UNSUPPORTED',
        server: connection.definition.name,
        tool: options.tool,
        message: `Server "${connection.definition.name}" refused ${method}: it needs the Tasks extension, which this connection did not declare.`,
        cause: error,
      });
    }
    throw error;
  }
}

/** The task as the server describes it now. */
export async function getTask(
  connection: ServerConnection,
  taskId: string,
  options: TaskRequestOptions,
): Promise<ServerTask> {
  const answer = await send(connection, 'tasks/get', { taskId }, options);
  return parseServerTask(answer, { server: connection.definition.name, tool: options.tool });
}

/** Answers a task's open questions. */
export async function updateTask(
  connection: ServerConnection,
  taskId: string,
  inputResponses: Record<string, unknown>,
  options: TaskRequestOptions,
): Promise<void> {
  await send(connection, 'tasks/update', { taskId, inputResponses }, options);
}

/** Asks the server to cancel a task (a finished one stays as it is). */
export async function cancelTask(
  connection: ServerConnection,
  taskId: string,
  options: TaskRequestOptions,
): Promise<void> {
  await send(connection, 'tasks/cancel', { taskId }, options);
}

/** The JSON-RPC error code somewhere in an error's cause chain. */
function protocolCodeOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
