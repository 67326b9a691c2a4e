/**
 * Spares every request the SDK client's failing result-schema probe, keeping the validation.
 *
 * `Protocol.request(request, options)` (SDK v2, no schema argument) first asks the era codec
 * whether the method has a result schema by validating `undefined` against it; that parse always
 * fails and the SDK formats the Zod error into a message it then throws away. Under load this was
 * the largest single cost the SDK added to a tool call (about a tenth of the CPU time with 256 calls
 * in flight). Here the answer of that probe is kept per codec and method, and the request goes
 * through the SDK's explicit-schema path with a Standard Schema that runs the same
 * `codec.validateResult` on the real result: the same checks, once per result, no failing parse.
 *
 * Upstream, `codecResultValidator` would look the schema up (`getResultSchema(method) !==
 * undefined`) instead of parsing `undefined`, and build the adapter once per codec and method.
 *
 * Everything here leans on SDK internals (`_resolveOutboundCodec`, the codec's `validateResult`);
 * when they are not there (a later SDK), the client is left as it is.
 */
import type { Client } from '@modelcontextprotocol/client';

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string; message?: string };

interface Codec {
  validateResult(method: string, raw: unknown): Outcome;
}

interface StandardResultSchema {
  '~standard': {
    version: 1;
    vendor: string;
    validate(value: unknown): { value: unknown } | { issues: { message: string }[] };
  };
}

type RequestFunction = (request: { method: string }, schemaOrOptions?: unknown, options?: unknown) => unknown;

/** Per codec (a module-level object of the SDK), the adapter of each method; `null`: not in the era. */
const adapters = new WeakMap<Codec, Map<string, StandardResultSchema | null>>();

/** The Standard Schema the SDK would have built for `method`, made once per codec. */
function adapterFor(codec: Codec, method: string): StandardResultSchema | null {
  let byMethod = adapters.get(codec);
  if (!byMethod) {
    byMethod = new Map();
    adapters.set(codec, byMethod);
  }
  let adapter = byMethod.get(method);
  if (adapter !== undefined) return adapter;
  const probe = codec.validateResult(method, undefined);
  adapter =
    !probe.ok && probe.reason === 'not-in-era'
      ? null
      : {
          '~standard': {
            version: 1,
            vendor: 'mcp-wire-codec',
            validate(value) {
              const outcome = codec.validateResult(method, value);
              if (outcome.ok) return { value: outcome.value };
              const message =
                outcome.reason === 'invalid' ? String(outcome.message) : `not-in-era: ${method}`;
              return { issues: [{ message }] };
            },
          },
        };
  byMethod.set(method, adapter);
  return adapter;
}

/** Makes `client.request(request, options)` pass a cached result validator (see the module comment). */
export function skipResultSchemaProbe(client: Client): void {
  const target = client as unknown as {
    request: RequestFunction;
    _resolveOutboundCodec?: (method: string) => Partial<Codec> | undefined;
  };
  const original = target.request;
  if (typeof original !== 'function' || typeof target._resolveOutboundCodec !== 'function') return;
  target.request = function request(this: typeof target, message, schemaOrOptions, options) {
    // An explicit schema (or `tasks/get` / `tasks/cancel`, which the SDK gates differently) goes
    // through unchanged.
    if (
      isStandardSchema(schemaOrOptions) ||
      options !== undefined ||
      message.method === 'tasks/get' ||
      message.method === 'tasks/cancel'
    ) {
      return original.call(this, message, schemaOrOptions, options);
    }
    const codec = this._resolveOutboundCodec?.(message.method);
    const adapter =
      codec && typeof codec.validateResult === 'function' ? adapterFor(codec as Codec, message.method) : null;
    if (adapter === null) return original.call(this, message, schemaOrOptions, options);
    return original.call(this, message, adapter, schemaOrOptions);
  };
}

function isStandardSchema(value: unknown): boolean {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    '~standard' in (value as object)
  );
}
