/**
 * Upstream prompts re-published: each registry prompt becomes a publisher prompt whose `get`
 * asks the upstream (`registry.getPrompt`) in the caller's own upstream session, cancelled with
 * the downstream request. Prompts are served when the gateway starts and kept in step with each
 * upstream's `prompts/list_changed` (the registry's `prompts:changed`), which the publisher passes
 * on to downstream clients.
 */
import { type PromptInfo, type Registry, ToolwireError } from '@toolwire/core';
import {
  definePrompt,
  type PromptDefinition,
  type Publisher,
  type RequestContext,
} from '@toolwire/publisher';
import { askDownstream, callerSessionKey } from './forward-call.js';
import type { GatewayNaming, UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import type { CallerCredentials } from './reloadable-credentials.js';

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
  credentials?: CallerCredentials,
  /** The gateway's policy: may refuse the prompt to a caller, limits and audits it. */
  policy?: PolicyGuard,
): PromptDefinition[] {
  return prompts.map((prompt) => {
    const name = promptName(prompt, naming);
    const getUpstream = async (args: Record<string, string>, context: RequestContext) => {
      const sessionKey = await callerSessionKey(context, sessions, prompt.server, credentials);
      // What the upstream asks while rendering is asked of the caller, as for tool calls.
      const { onElicitation, onSampling, onRoots, refusal } = askDownstream(context);
      try {
        return await registry.getPrompt(prompt.name, args, {
          sessionKey,
          signal: context.signal,
          onElicitation,
          onSampling,
          onRoots,
        });
      } catch (error) {
        throw refusal() ?? error;
      }
    };
    return definePrompt({
      name,
      title: prompt.title,
      description: prompt.description,
      arguments: prompt.arguments.map((argument) => ({
        name: argument.name,
        description: argument.description,
        required: argument.required,
      })),
      get: (args, context) =>
        policy
          ? policy.runRequest(
              {
                kind: 'prompt',
                name: prompt.name,
                publishedName: name,
                server: prompt.server,
                arguments: args,
              },
              context,
              () => getUpstream(args, context),
            )
          : getUpstream(args, context),
    });
  });
}

/** The served upstream prompts, by published name, kept in step with the registry. */
export interface PromptSync {
  /** The registry prompt behind a published prompt name. */
  promptOf(publishedName: string): PromptInfo | undefined;
  /** Serves the prompts of `server` (or of every server) as the registry lists them now. */
  sync(server?: string): Promise<void>;
}

export function createPromptSync(
  registry: Registry,
  publisher: Pick<Publisher, 'addPrompts' | 'removePrompts'>,
  naming: GatewayNaming | undefined,
  sessions: UpstreamSessions,
  onError: (error: Error) => void,
  credentials?: CallerCredentials,
  policy?: PolicyGuard,
): PromptSync {
  const served = new Map<string, PromptInfo>();
  const same = (a: PromptInfo, b: PromptInfo) => JSON.stringify(a) === JSON.stringify(b);
  return {
    promptOf: (name) => served.get(name),
    async sync(server) {
      const wanted = new Map(registry.prompts(server).map((prompt) => [promptName(prompt, naming), prompt]));
      const gone = [...served]
        .filter(([name, prompt]) => {
          if (server !== undefined && prompt.server !== server) return false;
          const next = wanted.get(name);
          return next === undefined || !same(next, prompt);
        })
        .map(([name]) => name);
      if (gone.length > 0) {
        await publisher.removePrompts(gone);
        for (const name of gone) served.delete(name);
      }
      // One at a time: one prompt the publisher refuses (a name another server took) must not
      // keep the others out.
      for (const [name, prompt] of wanted) {
        if (served.has(name)) continue;
        const [definition] = upstreamPrompts(registry, [prompt], naming, sessions, credentials, policy);
        if (!definition) continue;
        try {
          await publisher.addPrompts([definition]);
          served.set(name, prompt);
        } catch (error) {
          onError(
            new ToolwireError({
              code: 'CONFIG_INVALID',
              server: prompt.server,
              message: `Upstream prompt "${name}" is not served: ${(error as Error).message}`,
              cause: error,
            }),
          );
        }
      }
    },
  };
}
