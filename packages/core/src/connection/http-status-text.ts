/**
 * An HTTP status as people read it: the code, its reason phrase, where, and the likely fix
 * ("HTTP 404 Not Found at https://host/mcp: is the URL right?"), instead of the transport's
 * wording ("SSE error: Non-200 status code (404)"). No `node:http` here: the root entry runs on
 * edge runtimes too.
 */

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** `HTTP 404 Not Found at <where>: is the URL right?`; `where` is already safe to show. */
export function describeHttpStatus(status: number, where: string): string {
  const reason = reasons[status];
  const head = `HTTP ${status}${reason ? ` ${reason}` : ''} at ${where}`;
  if (status === 404 || status === 410) return `${head}: is the URL right?`;
  if (status === 405) return `${head}: is this the MCP endpoint (often /mcp, or /sse for legacy servers)?`;
  if (status === 421) return `${head}: the server does not accept this host name`;
  if (status === 429) return `${head}: the server is rate-limiting; try again later`;
  if (status >= 500) return `${head}: the server failed on its side; its logs say why`;
  return head;
}

/** The HTTP status an SDK or transport error carries, if any (SSE errors carry it as `code`). */
export function httpStatusOf(error: unknown): number | undefined {
  const candidate = error as { status?: unknown; data?: { status?: unknown }; code?: unknown } | undefined;
  const status = candidate?.data?.status ?? candidate?.status;
  if (typeof status === 'number') return status;
  // The SDK's SseError keeps the response status in `code` (a number), and nothing else does.
  const code = candidate?.code;
  if (
    typeof code === 'number' &&
    code >= 100 &&
    code <= 599 &&
    /^SSE error/.test(String((error as Error).message))
  )
    return code;
  return undefined;
}
