/**
 * Redacted copies of foreign errors (the SDK's, `fetch`/undici's, Node's system errors), to stand
 * in their place in a `cause` chain. A copy keeps what explains and classifies the failure (name,
 * `code`, `errno`, `syscall`, HTTP `status`, `address`/`port`, and its own `cause` chain, copied
 * the same way) with a redacted message and stack, and drops everything else: `spawnargs`,
 * `path`, `spawnfile`, request options, response bodies (`data.text`), headers. So
 * `console.error(error)`, `util.inspect(error, { depth: Infinity })` and `JSON.stringify` show no
 * secret, while retry and error classification, which read `code`, `status` and the chain, work
 * as before.
 */

const marker = Symbol.for('toolwire.redacted-copy');

/** Fields kept from a foreign error: they classify it and never carry request data. */
const keptFields = ['code', 'errno', 'syscall', 'status', 'statusCode', 'address', 'port'] as const;
/** Causes nest this deep at most; beyond, the chain is cut (a cyclic or absurd chain). */
const MAX_DEPTH = 8;

/** True for an error made by {@link redactedCopy}. */
export function isRedactedCopy(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}

/**
 * A redacted stand-in for `error`. `redactText` cleans strings; `redactCause` handles the next
 * error in the chain (so a toolwire error further down is redacted in place, not copied).
 */
export function redactedCopy(
  error: object,
  redactText: (text: string) => string,
  redactCause: (cause: unknown) => unknown,
  depth = 0,
): Error {
  const source = error as Record<string, unknown> & { data?: Record<string, unknown> };
  const name = typeof source.name === 'string' ? source.name : 'Error';
  const message = typeof source.message === 'string' ? source.message : String(error);
  const copy = new Error(redactText(message));
  Object.defineProperty(copy, 'name', { value: name, writable: true, configurable: true, enumerable: false });
  Object.defineProperty(copy, marker, { value: true, enumerable: false });
  copy.stack = redactText(typeof source.stack === 'string' ? source.stack : `${name}: ${message}`);
  const target = copy as unknown as Record<string, unknown>;
  for (const field of keptFields) {
    const value = source[field];
    if (typeof value === 'number' || typeof value === 'boolean') target[field] = value;
    else if (typeof value === 'string') target[field] = redactText(value);
  }
  // The SDK keeps an HTTP status (and sometimes the cause) in `data`; the rest of `data` (the
  // response text, the content type) stays behind.
  const data = typeof source.data === 'object' && source.data !== null ? source.data : undefined;
  if (target.status === undefined && typeof data?.status === 'number') target.status = data.status;
  const cause = source.cause ?? data?.cause;
  if (cause !== undefined && depth < MAX_DEPTH) {
    const safeCause = isForeignError(cause)
      ? redactedCopy(cause, redactText, redactCause, depth + 1)
      : redactCause(cause);
    Object.defineProperty(copy, 'cause', {
      value: safeCause,
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  if (Array.isArray(source.errors) && depth < MAX_DEPTH) {
    // AggregateError (e.g. a connect that tried IPv4 and IPv6): each attempt, copied alike.
    target.errors = source.errors.map((item) =>
      isForeignError(item) ? redactedCopy(item, redactText, redactCause, depth + 1) : redactCause(item),
    );
  }
  return copy;
}

function isForeignError(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  if ((value as Record<symbol, unknown>)[Symbol.for('toolwire.error')] === true) return false;
  return value instanceof Error || typeof (value as { message?: unknown }).message === 'string';
}
