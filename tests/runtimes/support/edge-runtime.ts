/**
 * Runs a bundled worker script in Vercel's `edge-runtime` (the Edge Runtime's web primitives in a
 * Node VM context, code generation from strings disabled as on Vercel Edge), served over HTTP
 * on 127.0.0.1 port 0.
 */
import { EdgeRuntime, runServer } from 'edge-runtime';
import type { RunningWorker } from './workerd.js';

/** Starts `code` (a classic script that adds a `fetch` event listener) in edge-runtime. */
export async function startEdgeRuntime(code: string): Promise<RunningWorker> {
  const runtime = new EdgeRuntime({ initialCode: code });
  const server = await runServer({ runtime, host: '127.0.0.1', port: 0 });
  return {
    url: server.url.replace(/\/$/, ''),
    output: () => '',
    close: () => server.close(),
  };
}
