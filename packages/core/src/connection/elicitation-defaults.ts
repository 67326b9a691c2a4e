/**
 * SEP-1034: when a user accepts an elicitation form without filling some fields, the client
 * fills in the defaults the server's requested schema declares.
 */
import type { ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';

export function applyElicitationDefaults(
  params: ElicitRequest['params'],
  result: ElicitResult,
): ElicitResult {
  if (result.action !== 'accept') return result;
  const schema = (params as { requestedSchema?: { properties?: Record<string, { default?: unknown }> } })
    .requestedSchema;
  const properties = schema?.properties;
  if (!properties) return result;
  const content: Record<string, unknown> = { ...(result.content ?? {}) };
  for (const [name, property] of Object.entries(properties)) {
    if (content[name] === undefined && property && property.default !== undefined)
      content[name] = property.default;
  }
  return { ...result, content: content as ElicitResult['content'] };
}
