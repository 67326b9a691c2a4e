/**
 * The contract of the channel the instances of a publisher fleet talk over: fire-and-forget
 * messages on named channels, delivered to every instance subscribed at the time (Redis
 * pub/sub; `createRedisStore` provides one). The publisher uses it for what must reach a
 * particular instance or every instance: a client's answer to a server-to-client request
 * (elicitation, sampling) goes to the instance that asked, a cancellation to every instance,
 * and a notice of new events to instances relaying a resumed stream.
 */

/** A publish/subscribe channel shared by every instance of a fleet. */
export interface FleetBus {
  /**
   * Sends `message` to every current subscriber of `channel` (the sender included). Resolves with
   * how many subscribers received it when the bus knows (Redis does): 0 on an instance's own
   * channel means that instance is gone.
   */
  publish(channel: string, message: string): Promise<number | undefined>;
  /**
   * Delivers every message published on `channel` to `listener` until the returned function is
   * called. Resolves once the subscription is in place.
   */
  subscribe(channel: string, listener: (message: string) => void): Promise<() => Promise<void>>;
}
