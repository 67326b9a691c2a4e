/**
 * How long `publisher.listen()` keeps an idle keep-alive connection (`keepAliveTimeoutMs`): longer
 * than a load balancer's idle timeout by default, so the balancer is the side that closes.
 */
import { positive } from '../check-option.js';

/** Default 65 s: above AWS ALB's 60 s idle timeout, the longest common default in front of us. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The option, checked: a positive whole number of ms (Node reads 0 as "never close"). */
export function checkKeepAlive(value: number | undefined): number {
  return positive('listen({ keepAliveTimeoutMs })', value, DEFAULT_KEEP_ALIVE_TIMEOUT_MS, true);
}
