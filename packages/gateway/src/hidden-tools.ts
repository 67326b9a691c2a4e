/**
 * Tools hidden from callers the policy refuses: the publisher's per-request `toolVisibility`
 * asks the policy's allow/deny rules about the registry tool behind each published name, so a
 * caller's `tools/list` holds only what it may call. Combined with a `toolVisibility` given in
 * the gateway's `publisher` options (both must agree).
 */
import type { ToolVisibility } from '@toolwire/publisher';
import type { PolicyGuard } from './gateway-policy.js';

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
