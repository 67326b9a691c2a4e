/**
 * `completion/complete` forwarded: a downstream request for a served prompt's argument goes to
 * the prompt's server under the server's own prompt name, one for a served resource (template)
 * to the server serving that URI (template), each in the caller's own upstream session and
 * cancelled with the downstream request. The gateway's policy judges it as it judges a
 * `prompts/get` or `resources/read` of the same prompt or resource (`request-policy.ts`): a caller
 * the rules refuse it to gets the same `POLICY_DENIED` error, nothing goes upstream, and the
 * request is audited. Registered on every downstream server instance through the publisher's
 * `extend` hook.
 */
import type { PromptInfo, Registry } from '@toolwire/core';
import { type ExtendServer, ProtocolError, ProtocolErrorCode } from '@toolwire/publisher';
import { callerSessionKey } from './forward-call.js';
import type { UpstreamSessions } from './gateway-options.js';
import type { PolicyGuard } from './gateway-policy.js';
import type { CallerCredentials } from './reloadable-credentials.js';
import type { GuardedRequest } from './request-policy.js';
import type { UpstreamResourceOwners } from './upstream-resources.js';

/** What the completions handler needs to know of what is served. */
export interface ServedCompletionTargets {
  /** The registry prompt behind a published prompt name. */
  promptOf(publishedName: string): PromptInfo | undefined;
  resources: UpstreamResourceOwners;
}

/** An `extend` hook declaring `completions` and forwarding `completion/complete` upstream. */
export function forwardCompletions(
  registry: Registry,
  sessions: UpstreamSessions,
  served: ServedCompletionTargets,
  /** Per-caller upstream credentials (`upstreamAuth`), made ready before the request goes upstream. */
  credentials?: CallerCredentials,
  /** The gateway's policy: a prompt or resource it refuses to the caller cannot be completed either. */
  policy?: PolicyGuard,
): ExtendServer {
  return (server) => {
    server.server.registerCapabilities({ completions: {} });
    server.server.setRequestHandler('completion/complete', async (request, context) => {
      // The downstream `_meta` (its era's envelope) is not the upstream's.
      const { _meta, ...params } = request.params;
      const { ref } = params;
      let target: Extract<GuardedRequest, { kind: 'completion' }>['target'] | undefined;
      let upstreamRef = ref;
      if (ref.type === 'ref/prompt') {
        const prompt = served.promptOf(ref.name);
        if (prompt) {
          target = { ref: 'prompt', name: prompt.name, publishedName: ref.name, server: prompt.server };
          upstreamRef = { ...ref, name: prompt.serverPromptName };
        }
      } else {
        const server = served.resources.templates.get(ref.uri) ?? served.resources.resources.get(ref.uri);
        if (server !== undefined) target = { ref: 'resource', uri: ref.uri, server };
      }
      if (target === undefined) {
        const what = ref.type === 'ref/prompt' ? `prompt "${ref.name}"` : `resource "${ref.uri}"`;
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `No ${what} is served here to complete.`);
      }
      const upstream = target.server;
      const authInfo = context.http?.authInfo;
      const signal = context.mcpReq.signal;
      const complete = async () => {
        const sessionKey = await callerSessionKey(
          { authInfo, sessionId: context.sessionId },
          sessions,
          upstream,
          credentials,
        );
        return registry.complete(upstream, { ...params, ref: upstreamRef }, { sessionKey, signal });
      };
      if (!policy) return complete();
      const { argument } = params;
      return policy.runRequest(
        {
          kind: 'completion',
          target,
          argument: argument.name,
          arguments: { ...params.context?.arguments, [argument.name]: argument.value },
        },
        { authInfo, signal },
        complete,
      );
    });
  };
}
