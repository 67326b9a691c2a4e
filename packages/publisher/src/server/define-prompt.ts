/**
 * Native prompts and resources a publisher can serve next to its tools. They are deliberately
 * small: prompts take string arguments (and may ask the client for input, like tools), resources
 * are read by URI (or URI template).
 */
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/server';
import type { RequestContext } from '../tools/tool-context.js';

/**
 * What a prompt's `get` receives besides its arguments: the caller, cancellation, and the input
 * API (`elicit`, `sample`, `listRoots`, `input`), with the same era rules as a tool's.
 */
export type PromptContext = RequestContext;

export interface PromptArgumentDefinition {
  name: string;
  description?: string | undefined;
  required?: boolean | undefined;
}

export interface PromptDefinition {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  arguments?: readonly PromptArgumentDefinition[] | undefined;
  /**
   * Returns the prompt's messages; a string becomes one user text message. `context` may ask the
   * client for input (on 2026-07-28 the prompt then runs again with the answers, so keep what
   * happens before a question free of side effects). A thrown error is a JSON-RPC error.
   */
  get(
    args: Record<string, string>,
    context: PromptContext,
  ): GetPromptResult | string | Promise<GetPromptResult | string>;
}

/** Who reads a resource, and when to stop: the part of a request's context a resource needs. */
export type ResourceContext = Pick<RequestContext, 'signal' | 'sessionId' | 'authInfo'>;

export interface ResourceDefinition {
  /** A fixed URI (`file:///readme.md`), or a URI template (`notes://{id}`) with `template: true`. */
  uri: string;
  /** Set when `uri` is an RFC 6570 template; `read` then receives the variables. */
  template?: boolean | undefined;
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  mimeType?: string | undefined;
  /** Returns the contents; a string becomes one text content with the resource's `mimeType`. */
  read(
    uri: URL,
    variables: Record<string, string | string[]>,
    /** The reading request's caller (verified token, MCP session) and its abort signal. */
    context: ResourceContext,
  ): ReadResourceResult | string | Promise<ReadResourceResult | string>;
}

/** Defines a prompt to publish (identity function for typing). */
export function definePrompt(definition: PromptDefinition): PromptDefinition {
  return definition;
}

/** Defines a resource (or resource template) to publish (identity function for typing). */
export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  return definition;
}
