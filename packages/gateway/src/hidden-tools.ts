/**
 * Tools, prompts and resources hidden from callers the policy refuses: the publisher's
 * per-request `toolVisibility` (and `promptVisibility`, `resourceVisibility`) asks the policy's
 * allow/deny rules about the registry tool (prompt, resource) behind each published one, so a
 * caller's lists hold only what it may use. Combined with the visibility functions given in the
 * gateway's `publisher` options (both must agree).
 */
import type { PromptVisibility, ResourceVisibility, ToolVisibility } from '@toolwire/publisher';
import type { PolicyGuard } from './gateway-policy.js';
import type { UpstreamResourceOwners } from './upstream-resources.js';

export function gatewayToolVisibility(
  policy: PolicyGuard | undefined,
  /** The registry name behind a published name; `undefined` for the gateway's own tools. */
  upstreamOf: (publishedName: string) => string | undefined,
  own: ToolVisibility | undefined,
): ToolVisibility | undefined {
  if (!policy) return own;
  // `hidesTools` is read per request: a reload may swap the policy behind the guard.
  return (tool, caller) => {
    const upstream = upstreamOf(tool.name);
    if (policy.hidesTools && upstream !== undefined && !policy.allows(upstream, caller?.authInfo)) {
      return false;
    }
    return own ? own(tool, caller) : true;
  };
}

/** `promptVisibility`: each caller lists only the upstream prompts the policy lets it get. */
export function gatewayPromptVisibility(
  policy: PolicyGuard | undefined,
  /** The registry name behind a published prompt name; `undefined` for the gateway's own. */
  upstreamOf: (publishedName: string) => string | undefined,
  own: PromptVisibility | undefined,
): PromptVisibility | undefined {
  if (!policy) return own;
  return (prompt, caller) => {
    const upstream = upstreamOf(prompt.name);
    if (policy.hidesTools && upstream !== undefined && !policy.allowsPrompt(upstream, caller?.authInfo)) {
      return false;
    }
    return own ? own(prompt, caller) : true;
  };
}

/** `resourceVisibility`: each caller lists only the upstream resources (templates) the policy lets it read. */
export function gatewayResourceVisibility(
  policy: PolicyGuard | undefined,
  owners: UpstreamResourceOwners,
  own: ResourceVisibility | undefined,
): ResourceVisibility | undefined {
  if (!policy) return own;
  return (resource, caller) => {
    const server = (resource.template ? owners.templates : owners.resources).get(resource.uri);
    if (
      policy.hidesTools &&
      server !== undefined &&
      !policy.allowsResource(server, resource.uri, caller?.authInfo)
    ) {
      return false;
    }
    return own ? own(resource, caller) : true;
  };
}
