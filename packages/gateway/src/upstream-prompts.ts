/**
 * Upstream prompts re-published: each registry prompt becomes a publisher prompt whose `get`
 * asks the upstream (`registry.getPrompt`) in the caller's own upstream session, cancelled with
 * the downstream request. Prompts are read once, when the gateway starts (core emits no
 * prompt-list events yet).
 */
import type { PromptInfo, Registry } from '@toolwire/core';
import { definePrompt, type PromptDefinition } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { GatewayNaming, UpstreamSessions } from './gateway-options.js';
import type { UpstreamCredentials } from './upstream-auth/upstream-credentials.js';

/** The published name of a prompt: as for tools, except that a naming function leaves the registry's name. */
export function promptName(prompt: PromptInfo, naming: GatewayNaming = 'registry'): string {
  if (naming === 'original') return prompt.serverPromptName;
  if (typeof naming === 'object' && naming !== null && typeof naming.prefixes === 'object') {
    return `${naming.prefixes[prompt.server] ?? `${prompt.server}_`}${prompt.serverPromptName}`;
  }
  return prompt.name;
}

/** Publisher prompts forwarding to the registry's prompts. */
export function upstreamPrompts(
  registry: Registry,
  prompts: readonly PromptInfo[],
  naming: GatewayNaming | undefined,
  sessions: UpstreamSessions,
  credentials?: UpstreamCredentials,
): PromptDefinition[] {
  return prompts.map((prompt) =>
    definePrompt({
      name: promptName(prompt, naming),
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments.map((argument) => ({
        name: argument.name,
        description: argument.description,
        required: argument.required,
      })),
      get: async (args, context) => {
        const sessionKey = await callerSessionKey(context, sessions, prompt.server, credentials);
        return registry.getPrompt(prompt.name, args, { sessionKey, signal: context.signal });
      },
    }),
  );
}
