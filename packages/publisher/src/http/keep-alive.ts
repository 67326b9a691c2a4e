/**
 * How long `publisher.listen()` keeps an idle keep-alive connection (`keepAliveTimeoutMs`): longer
 * than a load balancer's idle timeout by default, so the balancer is the side that closes.
 */
import { ToolwireError } from '@toolwire/core';

/** Default 65 s: above AWS ALB's 60 s idle timeout, the longest common default in front of us. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The option, checked: a whole number of ms, at least 1 (Node reads 0 as "never close"). */
export function checkKeepAlive(value: number | undefined): number {
  if (value === undefined) return DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ToolwireError({
      code: 'CONFIG_INVALID',
      message: `listen({ keepAliveTimeoutMs }) must be a whole number of milliseconds, at least 1; got ${String(value)}.`,
    });
  }
  return value;
}
