// Reads a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file) into its top self-time frames:
// the time each function spent running its own code (not its callees'), summed over the
// function's nodes, as a share of the profile's busy time. Idle time is left out, and so is the
// process's start-up: every sample taken under Node's module loader (loading, compiling and
// evaluating modules, `node:internal/modules/…`) is counted apart as `loadingMs`.
import { readFileSync } from 'node:fs';

/** `{ busyMs, loadingMs, frames: [{ functionName, file, line, selfMs, percent }] }`, the `top` largest first. */
export function summarizeProfile(path, { top = 10, root } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const loading = loaderNodes(profile.nodes);
  let loadingMicros = 0;
  const selfByNode = new Map();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index];
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  }
  const frames = new Map();
  let busy = 0;
  for (const [id, micros] of selfByNode) {
    const { callFrame } = nodes.get(id);
    if (callFrame.functionName === '(idle)') continue;
    if (loading.has(id)) {
      loadingMicros += micros;
      continue;
    }
    busy += micros;
    const file = shortFile(callFrame.url, root);
    const key = `${callFrame.functionName}\u0000${file}\u0000${callFrame.lineNumber}`;
    const frame = frames.get(key) ?? {
      functionName: callFrame.functionName || '(anonymous)',
      file,
      line: callFrame.lineNumber >= 0 ? callFrame.lineNumber + 1 : undefined,
      selfMs: 0,
    };
    frame.selfMs += micros / 1000;
    frames.set(key, frame);
  }
  const busyMs = busy / 1000;
  return {
    busyMs,
    loadingMs: loadingMicros / 1000,
    frames: [...frames.values()]
      .sort((left, right) => right.selfMs - left.selfMs)
      .slice(0, top)
      .map((frame) => ({ ...frame, percent: busyMs > 0 ? (frame.selfMs / busyMs) * 100 : 0 })),
  };
}

/** A file as a reader knows it: `package/dist/x.js` inside node_modules, repository-relative, or as V8 names it. */
function shortFile(url, root) {
  if (!url) return '(V8 / native)';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  if (root && path.startsWith(root)) return path.slice(root.length);
  return path;
}

/** Ids of the nodes under Node's module loader (a frame of `node:internal/modules/` or below one). */
function loaderNodes(nodes) {
  const parents = new Map();
  for (const node of nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const known = new Map();
  const isLoading = (id) => {
    const chain = [];
    let current = id;
    let result = false;
    while (current !== undefined) {
      if (known.has(current)) {
        result = known.get(current);
        break;
      }
      chain.push(current);
      if (byId.get(current).callFrame.url.startsWith('node:internal/modules/')) {
        result = true;
        break;
      }
      current = parents.get(current);
    }
    for (const seen of chain) known.set(seen, result);
    return result;
  };
  return new Set(nodes.filter((node) => isLoading(node.id)).map((node) => node.id));
}
