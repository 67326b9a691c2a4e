// One side of the memory benchmark, in a fresh process (run with --expose-gc): loads the same
// modules on every side, builds what its side names, collects garbage, and prints its memory.
//   empty                a registry with no servers
//   catalogue            a lazy registry whose catalogue (N servers × M tools) comes from a warm
//                        file cache: no server is spawned or connected
//   catalogue+langchain  the same, plus toLangChainTools() over the whole catalogue
//   catalogue+ai-sdk     the same, plus toAISDKTools() over the whole catalogue
import { toAISDKTools } from '@toolwire/ai-sdk';
import { createRegistry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';

const [side, configText] = process.argv.slice(2);
const { servers, cacheDirectory } = JSON.parse(configText);

async function settle() {
  for (let round = 0; round < 4; round++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const registry =
  side === 'empty'
    ? await createRegistry({ servers: {}, cache: 'none', logger: silentLogger })
    : await createRegistry({ servers, cache: 'file', cacheDirectory, loading: 'lazy', logger: silentLogger });
let held;
if (side === 'catalogue+langchain') held = toLangChainTools(registry);
if (side === 'catalogue+ai-sdk') held = toAISDKTools(registry);
const tools = registry.tools().length;
const connections = registry.servers().reduce((total, server) => total + server.connections, 0);
await settle();
const usage = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({ side, tools, connections, held: held ? Object.keys(held).length : 0, rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external })}\n`,
);
await registry.close();
