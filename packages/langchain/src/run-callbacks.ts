/**
 * The callback manager of one tool run, without LangChain's set-up cost when nothing listens.
 *
 * `CallbackManager.configure()` reads the environment (`LANGCHAIN_VERBOSE` and four tracing
 * variables, about 0.4 µs each in Node) and the async context on every call, even when the run
 * has no handler at all; that was the largest part of a `ToolwireTool` call of our own. When no
 * source can add a handler, `configure()` would return no manager or one without handlers, whose
 * tool run has no observable effect: then the run goes without one. Every other run takes
 * LangChain's own `configure()`, unchanged. The sources, as LangChain reads them:
 *
 * - handlers in the run's `callbacks` or the tool's own, or `verbose` on the tool;
 * - the async context: a traceable (LangSmith) parent run, context variables (which is where
 *   `registerConfigureHook` hooks and their handlers live);
 * - the environment: LangChain's verbose and tracing switches, read at most once per
 *   {@link ENVIRONMENT_RECHECK_MS}, so a switch set while the process runs takes effect within
 *   that time (a traceable parent run's own tracing flag is read on every call).
 */
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { AsyncLocalStorageProviderSingleton } from '@langchain/core/singletons';
import type { ToolRunnableConfig } from '@langchain/core/tools';
import { LangChainTracer } from '@langchain/core/tracers/tracer_langchain';
import { getEnvironmentVariable } from '@langchain/core/utils/env';

/** How long LangChain's reading of the environment (verbose, tracing) is reused, in milliseconds. */
export const ENVIRONMENT_RECHECK_MS = 1000;

// `Symbol.for`, so the same key as every copy of @langchain/core (its `_CONTEXT_VARIABLES_KEY`).
const CONTEXT_VARIABLES_KEY = Symbol.for('lc:context_variables');

/** What a tool contributes to its runs' callbacks (a `StructuredTool`'s own fields). */
export interface RunCallbackSources {
  callbacks?: ToolRunnableConfig['callbacks'];
  tags?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  verbose: boolean;
}

type Callbacks = ToolRunnableConfig['callbacks'];

/**
 * The run's callback manager, as `CallbackManager.configure()` makes it for a tool run, or
 * `undefined` when no handler could take part (see the file header).
 */
export function configureRunCallbacks(
  tool: RunCallbackSources,
  config: ToolRunnableConfig,
): CallbackManager | undefined {
  if (!mayHaveHandlers(tool, config)) return undefined;
  return CallbackManager.configure(
    config.callbacks,
    tool.callbacks,
    config.tags,
    tool.tags,
    config.metadata,
    tool.metadata,
    { verbose: tool.verbose },
  );
}

function mayHaveHandlers(tool: RunCallbackSources, config: ToolRunnableConfig): boolean {
  if (tool.verbose || hasHandlers(config.callbacks) || hasHandlers(tool.callbacks)) return true;
  const store: unknown = AsyncLocalStorageProviderSingleton.getInstance().getStore();
  if (store !== undefined && store !== null) {
    if ((store as Record<symbol, unknown>)[CONTEXT_VARIABLES_KEY] !== undefined) return true;
    if (LangChainTracer.getTraceableRunTree()?.tracingEnabled === true) return true;
  }
  return environmentAddsHandlers();
}

function hasHandlers(callbacks: Callbacks): boolean {
  if (!callbacks) return false;
  if (Array.isArray(callbacks)) return callbacks.length > 0;
  return callbacks.handlers.length > 0 || callbacks.inheritableHandlers.length > 0;
}

// LangChain's environment switches that add a handler to every run (`CallbackManager.configure`:
// `LANGCHAIN_VERBOSE`; `isTracingEnabled()`: the LangSmith tracer).
const VERBOSE_VARIABLE = 'LANGCHAIN_VERBOSE';
const TRACING_VARIABLES = [
  'LANGSMITH_TRACING_V2',
  'LANGCHAIN_TRACING_V2',
  'LANGSMITH_TRACING',
  'LANGCHAIN_TRACING',
];

let environment: { addsHandlers: boolean; readAt: number } | undefined;

function environmentAddsHandlers(): boolean {
  const now = performance.now();
  if (environment === undefined || now - environment.readAt >= ENVIRONMENT_RECHECK_MS) {
    const addsHandlers =
      getEnvironmentVariable(VERBOSE_VARIABLE) === 'true' ||
      TRACING_VARIABLES.some((name) => getEnvironmentVariable(name) === 'true');
    environment = { addsHandlers, readAt: now };
  }
  return environment.addsHandlers;
}
