/**
 * The seam between a registry and a telemetry implementation (OpenTelemetry lives behind the
 * `@toolwire/core/otel` subpath, so the root entry never loads `@opentelemetry/api`): an
 * interceptor that runs outermost around every tool call, and an observer of the registry's
 * public events and state. Without the `telemetry` option nothing here runs.
 */
import type { FetchLike } from '@modelcontextprotocol/client';
import type { ToolCallInterceptor } from '../interceptors/interceptor-types.js';
import type { PlacedInterceptor } from '../interceptors/run-interceptors.js';
import type { Registry } from '../registry/registry.js';

/**
 * What `createRegistry({ telemetry })` takes; `createOpenTelemetry()` from `@toolwire/core/otel`
 * builds one. Its interceptor runs outside every other (`interceptors` of the registry and call).
 */
export interface RegistryTelemetry {
  /** Wraps every tool call (spans, trace context, metrics). */
  readonly interceptor: ToolCallInterceptor;
  /** Called once, while the registry is created, to subscribe to its events. */
  observe?(registry: Registry): void;
  /** Wraps the `fetch` the auth layer uses (token requests, metadata discovery). */
  wrapAuthFetch?(fetch: FetchLike): FetchLike;
  /**
   * Wraps each listing request a connection makes (`tools/list`, `prompts/list`): at connect, after
   * `list_changed`, and on `refresh()`.
   */
  traceList?<T>(method: ListMethod, server: string, run: () => Promise<T>): Promise<T>;
}

/** The listing requests {@link RegistryTelemetry.traceList} sees. */
export type ListMethod = 'tools/list' | 'prompts/list';

/** The registry's interceptors with the telemetry's first (outermost); subscribes its observer. */
export function withTelemetry(
  telemetry: RegistryTelemetry | undefined,
  registry: Registry,
  interceptors: PlacedInterceptor[],
): PlacedInterceptor[] {
  if (telemetry === undefined) return interceptors;
  telemetry.observe?.(registry);
  return [{ interceptor: telemetry.interceptor, label: 'telemetry interceptor' }, ...interceptors];
}
