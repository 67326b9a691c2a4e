/**
 * `defineTool()`: the publisher's native tool shape, a typed function with a schema. The input
 * schema may be zod v4 (or any Standard Schema that can produce JSON Schema) or raw JSON Schema;
 * with a Standard Schema, `execute` receives the parsed (typed) arguments.
 */
import type { ToolAnnotations } from '@modelcontextprotocol/server';
import type { ToolTaskOption } from '../tasks/task-options.js';
import type { ToolContext } from './tool-context.js';

const nativeToolMarker = Symbol.for('toolwire.publisher.tool');

/** A Standard Schema whose output type `execute` receives. */
interface TypedSchema<Output> {
  readonly '~standard': {
    readonly version: number;
    readonly vendor: string;
    readonly types?: { readonly output: Output } | undefined;
  };
}

/** JSON Schema written by hand: arguments arrive as a plain record. */
export type RawJSONSchema = Record<string, unknown>;

/** The argument type for a schema: the Standard Schema output, else a plain record. */
export type InferToolArgs<Schema> =
  Schema extends TypedSchema<infer Output> ? Output : Record<string, unknown>;

export interface ToolDefinition<Schema = unknown> {
  /** The tool's name (`^[a-zA-Z0-9_.-]{1,128}$`); selection may rename it. */
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  /** zod v4 / Standard JSON Schema / raw JSON Schema; omit for a tool without arguments. */
  inputSchema?: Schema;
  /** When set, object results are published as `structuredContent` and checked against it. */
  outputSchema?: unknown;
  annotations?: ToolAnnotations | undefined;
  /** OAuth scopes the caller's token must carry to call this tool (HTTP with auth only). */
  scopes?: string[] | undefined;
  /** Extra `_meta` published with the tool. */
  meta?: Record<string, unknown> | undefined;
  /**
   * How long one call may run, in milliseconds; overrides the publisher's `callTimeoutMs`. At the
   * deadline the client gets an `isError` result at once and `context.signal` is aborted.
   */
  timeoutMs?: number | undefined;
  /**
   * Declares a long-running tool that may run as a task (MCP Tasks extension, SEP-2663): `true` or
   * `'optional'` (a task when the 2026-07-28 client declared the extension, a plain call
   * otherwise), `'required'` (clients without the extension are refused with `-32021`), or
   * {@link ToolTaskOptions}. Called as a task, the client gets a task id at once and the tool runs
   * on: `context.reportProgress` updates the task's status message, questions
   * (`context.elicit`…) make it `input_required` until the client answers with `tasks/update`,
   * and `tasks/cancel` aborts `context.signal`. Deadlines (`timeoutMs`, `callTimeoutMs`) stop
   * applying once the call is a task. On the 2025 protocol era the tool runs as a plain call.
   */
  task?: ToolTaskOption | undefined;
  /**
   * Runs the tool. Return a string (text content), an MCP `CallToolResult` (`{ content: [...] }`),
   * or any JSON value (sent as JSON text, and as `structuredContent` with an `outputSchema`).
   * A thrown error becomes an `isError` result with the error's message (never its stack).
   */
  execute(args: InferToolArgs<Schema>, context: ToolContext): unknown;
}

/** A tool made by {@link defineTool}. */
export type NativeTool<Schema = unknown> = ToolDefinition<Schema> & { readonly [nativeToolMarker]: true };

/**
 * Defines a tool to publish.
 *
 * @example
 * ```ts
 * const add = defineTool({
 *   name: 'add',
 *   description: 'Adds two numbers.',
 *   inputSchema: z.object({ a: z.number(), b: z.number() }),
 *   execute: ({ a, b }) => String(a + b),
 * });
 * ```
 */
export function defineTool<Schema = RawJSONSchema>(definition: ToolDefinition<Schema>): NativeTool<Schema> {
  return { ...definition, [nativeToolMarker]: true } as NativeTool<Schema>;
}

/** True for tools made by {@link defineTool} (from any copy of the package). */
export function isNativeTool(value: unknown): value is NativeTool {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[nativeToolMarker] === true
  );
}
