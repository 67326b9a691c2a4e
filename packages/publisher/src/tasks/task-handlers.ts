/**
 * `tasks/get`, `tasks/update` and `tasks/cancel` (SEP-2663) on a 2026-07-28 server instance,
 * answered from the task store, so any instance of a fleet sharing the store answers for any
 * task. A client that did not declare the Tasks extension for the request is refused (`-32021`).
 * `tasks/result` and `tasks/list` (2025-11-25) do not exist in the extension; they stay unknown
 * methods (`-32601`).
 *
 * The SDK (`@modelcontextprotocol/server` 2.4) routes these names to handlers registered for them
 * on the 2026-07-28 era and checks their `Mcp-Name` header against `params.taskId`, but has no
 * task runtime of its own: the store, the runner and the wire shapes are ours.
 */
import type { McpServer, ServerContext, StandardSchemaV1 } from '@modelcontextprotocol/server';
import { sessionOwnerKey } from '../http/session-owner.js';
import { clientSupportsTasks, tasksRequiredError } from './task-call.js';
import type { TaskManager } from './task-manager.js';
import { TASKS_EXTENSION, toDetailedTask } from './task-record.js';

interface TaskIdParams {
  taskId: string;
}

/** Registers the task methods and advertises the extension on one 2026-07-28 server instance. */
export function registerTaskHandlers(server: McpServer, manager: TaskManager): void {
  server.server.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
  const guard = async (method: string, context: ServerContext) => {
    if (!clientSupportsTasks(server, context)) throw tasksRequiredError(method);
    return sessionOwnerKey(context.http?.authInfo);
  };
  server.server.setRequestHandler('tasks/get', { params: taskIdParams() }, async (params, context) => {
    const owner = await guard('tasks/get', context);
    return toDetailedTask(await manager.get(params.taskId, owner));
  });
  server.server.setRequestHandler('tasks/update', { params: taskIdParams() }, async (params, context) => {
    const owner = await guard('tasks/update', context);
    // `inputResponses` is a reserved request field (SEP-2322): the SDK lifts it out of the params
    // and checks its shape (`-32602` for anything but an object) before this handler runs.
    await manager.update(params.taskId, owner, context.mcpReq.inputResponses ?? {});
    return {};
  });
  server.server.setRequestHandler('tasks/cancel', { params: taskIdParams() }, async (params, context) => {
    const owner = await guard('tasks/cancel', context);
    await manager.cancel(params.taskId, owner);
    return {};
  });
}

/** A hand-written Standard Schema (the publisher does not depend on zod at run time). */
function schema<Output>(
  check: (value: Record<string, unknown>) => string | undefined,
): StandardSchemaV1<unknown, Output> {
  return {
    '~standard': {
      version: 1,
      vendor: 'toolwire',
      validate(value) {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return { issues: [{ message: 'params must be an object' }] };
        }
        const problem = check(value as Record<string, unknown>);
        return problem === undefined ? { value: value as Output } : { issues: [{ message: problem }] };
      },
    },
  };
}

function taskIdParams(): StandardSchemaV1<unknown, TaskIdParams> {
  return schema<TaskIdParams>((value) =>
    typeof value.taskId === 'string' && value.taskId !== ''
      ? undefined
      : 'params.taskId must be a non-empty string',
  );
}
