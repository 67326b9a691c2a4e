/**
 * `prompts/list` and `prompts/get`, served from the live catalogue (so prompts can change at run
 * time on every session) by our own handlers rather than the SDK's `registerPrompt`, which has no
 * way to hand a prompt the input API. A prompt may ask the client for input like a tool: on the
 * 2025 era through requests to the client, on 2026-07-28 through `input_required` rounds whose
 * `requestState` is sealed and bound to the prompt, its arguments and the caller.
 */

import {
  type GetPromptResult,
  type InputRequiredResult,
  type McpServer,
  MissingRequiredClientCapabilityError,
  type Prompt,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { bindingFor, closeRound, openRounds } from '../input/input-round-trip.js';
import type { ProtocolEra } from '../tools/tool-context.js';
import { limitText } from '../util/limit-text.js';
import type { ServerBlueprint } from './build-server.js';
import { createRequestContext } from './create-tool-context.js';
import type { PromptDefinition } from './define-prompt.js';
import { callerOf, type ToolCaller, visibleTo } from './tool-visibility.js';

type GetRequest = { params: { name: string; arguments?: Record<string, string> | undefined } };

/** The `prompts/list` answer: the enabled prompts as clients see them. */
export function listPrompts(blueprint: ServerBlueprint, context: ServerContext): { prompts: Prompt[] } {
  return { prompts: visiblePrompts(blueprint, callerOf(context), blueprint.onError).map(toPromptListing) };
}

/** The enabled prompts `caller` sees. */
export function visiblePrompts(
  blueprint: ServerBlueprint,
  caller: ToolCaller | undefined,
  onError: (error: Error) => void,
): readonly PromptDefinition[] {
  return visibleTo(blueprint.catalogue.prompts(), blueprint.promptVisibility, caller, onError, (prompt) => ({
    option: 'promptVisibility',
    what: `prompt "${prompt.name}"`,
    list: 'prompts/list',
  }));
}

/** Returns the `prompts/get` handler for one SDK server instance. */
export function createPromptGetHandler(server: McpServer, blueprint: ServerBlueprint, era: ProtocolEra) {
  return async (
    request: GetRequest,
    context: ServerContext,
  ): Promise<GetPromptResult | InputRequiredResult> => {
    const { name } = request.params;
    const prompt = blueprint.catalogue.prompt(name);
    if (!prompt) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Prompt "${limitText(name, 200)}" not found.`);
    }
    const args = request.params.arguments ?? {};
    const missing = (prompt.arguments ?? [])
      .filter((argument) => argument.required && typeof args[argument.name] !== 'string')
      .map((argument) => `"${argument.name}"`);
    if (missing.length > 0) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `Invalid arguments for prompt "${prompt.name}": missing required ${missing.join(', ')}.`,
      );
    }

    const binding =
      era === 'modern' ? bindingFor('prompts/get', prompt.name, args, context.http?.authInfo) : undefined;
    const rounds = binding
      ? await openRounds(context, binding, blueprint.requestState, blueprint.onError)
      : undefined;
    const call = blueprint.calls.start([context.mcpReq.signal]);
    const promptContext = createRequestContext({ server, context, era, signal: call.signal, rounds });
    try {
      const value = await prompt.get(args, promptContext);
      const round = rounds && binding ? await closeRound(rounds, binding, blueprint.requestState) : undefined;
      return round ?? toMessages(value);
    } catch (error) {
      if (error instanceof MissingRequiredClientCapabilityError) throw error;
      const round = rounds && binding ? await closeRound(rounds, binding, blueprint.requestState) : undefined;
      if (round) return round;
      throw error;
    } finally {
      call.finish();
    }
  };
}

function toMessages(value: GetPromptResult | string): GetPromptResult {
  return typeof value === 'string'
    ? { messages: [{ role: 'user', content: { type: 'text', text: value } }] }
    : value;
}

function toPromptListing(prompt: PromptDefinition): Prompt {
  const listing: Prompt = { name: prompt.name };
  if (prompt.title !== undefined) listing.title = prompt.title;
  if (prompt.description !== undefined) listing.description = prompt.description;
  if (prompt.arguments && prompt.arguments.length > 0) {
    listing.arguments = prompt.arguments.map((argument) => ({
      name: argument.name,
      ...(argument.description === undefined ? {} : { description: argument.description }),
      ...(argument.required === undefined ? {} : { required: argument.required }),
    }));
  }
  return listing;
}
