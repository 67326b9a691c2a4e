/**
 * The plainest upstream a gateway test can have: our publisher named `upstream` on loopback
 * serving just the tools the test defines (errors swallowed), for tests whose upstream is one or
 * two tools written for them.
 */
import {
  createPublisher,
  type ListeningPublisher,
  type PublisherOptions,
} from '../../../publisher/src/index.js';

export function startToolsUpstream(
  tools: NonNullable<PublisherOptions['tools']>,
  /** More publisher options, e.g. `tasks` (a short poll interval for tests that wait on tasks). */
  options: Partial<PublisherOptions> = {},
): Promise<ListeningPublisher> {
  return createPublisher({
    name: 'upstream',
    version: '1.0.0',
    onError: () => {},
    ...options,
    tools,
  }).listen();
}
