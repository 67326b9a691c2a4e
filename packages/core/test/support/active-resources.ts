/**
 * Handle-leak checks with `process.getActiveResourcesInfo()`: take a snapshot before creating
 * something, another after closing it, and compare counts per resource type (`TCPSocketWrap`,
 * `PipeWrap`, `ProcessWrap`, `Timeout`, …). Only resources that keep the event loop alive are
 * listed, which is exactly what a leak is.
 */

export type ResourceCounts = Record<string, number>;

/** How many active resources of each type this process has now. */
export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Resource types with more instances in `after` than in `before`, with how many more. */
export function addedResources(before: ResourceCounts, after: ResourceCounts): ResourceCounts {
  const added: ResourceCounts = {};
  for (const [type, count] of Object.entries(after)) {
    const extra = count - (before[type] ?? 0);
    if (extra > 0) added[type] = extra;
  }
  return added;
}

/**
 * `activeResources()` after two turns of the event loop, so handles that are already closing
 * (a child's process handle is released one turn after its exit) are not mistaken for leaks.
 * Anything still listed after that is open, not closing.
 */
export async function settledResources(): Promise<ResourceCounts> {
  for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
  return activeResources();
}
