/**
 * Log messages from consumed servers (`notifications/message`) on their way to `server:log`
 * listeners: dropped below the server's minimum level, redacted, and bounded in size.
 */
import type { LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import type { ServerLogEvent, ServerLogLevel } from '../events/registry-events.js';
import type { Redactor } from '../redaction/redactor.js';
import { excerpt } from '../util/bounded-text.js';

/** MCP's levels, least severe first. */
export const SERVER_LOG_LEVELS: readonly ServerLogLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/** The longest a message's `data` (as JSON) reaches a listener whole; longer is cut to an excerpt. */
export const MAX_SERVER_LOG_DATA_CHARS = 16_000;
const MAX_LOGGER_NAME_CHARS = 200;

/**
 * The event for one log message, or `undefined` when it is below `minimum` or its level is not
 * one of MCP's (its severity could not be compared).
 */
export function toServerLogEvent(
  params: LoggingMessageNotificationParams,
  context: {
    server: string;
    sessionKey: string | undefined;
    tool: string | undefined;
    callId: number | undefined;
    minimum: ServerLogLevel | undefined;
  },
  redactor: Redactor,
): ServerLogEvent | undefined {
  const level = params.level;
  const rank = SERVER_LOG_LEVELS.indexOf(level);
  if (rank < 0) return undefined;
  if (context.minimum !== undefined && rank < SERVER_LOG_LEVELS.indexOf(context.minimum)) return undefined;
  const logger =
    typeof params.logger === 'string'
      ? excerpt(redactor.text(params.logger), MAX_LOGGER_NAME_CHARS)
      : undefined;
  const { data, truncated } = boundedData(params.data, redactor);
  const { server, sessionKey, tool, callId } = context;
  return { server, sessionKey, tool, callId, level, logger, data, truncated };
}

/** Redact first, then cut: a cut made first could leave half a secret no matcher recognises. */
function boundedData(data: unknown, redactor: Redactor): { data: unknown; truncated: boolean } {
  if (typeof data === 'string') {
    const text = redactor.text(data);
    return text.length > MAX_SERVER_LOG_DATA_CHARS
      ? { data: excerpt(text, MAX_SERVER_LOG_DATA_CHARS), truncated: true }
      : { data: text, truncated: false };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    json = undefined;
  }
  if (json === undefined) return { data: null, truncated: data !== undefined && data !== null };
  if (json.length <= MAX_SERVER_LOG_DATA_CHARS) return { data: redactor.value(data), truncated: false };
  return { data: excerpt(redactor.text(json), MAX_SERVER_LOG_DATA_CHARS), truncated: true };
}
