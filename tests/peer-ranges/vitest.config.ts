/**
 * Every import of `ai`, `@langchain/core` or `zod` made by our packages' sources and by these
 * tests resolves to the lowest supported version, installed here under an npm alias
 * (`ai-lowest`, `langchain-core-lowest`, `zod-lowest`). @toolwire/core keeps its own zod: zod is
 * its dependency, not a peer. Third-party code in node_modules keeps resolving as installed.
 */
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

const here = dirname(fileURLToPath(import.meta.url));
const coreSources = `${sep}packages${sep}core${sep}`;

/** The peer (package name) → the alias holding its lowest supported version. */
export const lowest: Record<string, string> = {
  ai: 'ai-lowest',
  '@langchain/core': 'langchain-core-lowest',
  zod: 'zod-lowest',
};

function lowestPeers(): Plugin {
  return {
    name: 'toolwire-lowest-peers',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || importer.includes(`${sep}node_modules${sep}`)) return null;
      for (const [peer, alias] of Object.entries(lowest)) {
        if (source !== peer && !source.startsWith(`${peer}/`)) continue;
        if (peer === 'zod' && importer.includes(coreSources)) return null;
        const redirected = alias + source.slice(peer.length);
        return this.resolve(redirected, join(here, 'package.json'), { skipSelf: true });
      }
      return null;
    },
  };
}

export default defineConfig({
  plugins: [lowestPeers()],
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['*.test.ts'],
    globalSetup: ['../../packages/core/test/support/temp-cache-dir.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Our packages are linked from the workspace: transform them so the redirect above applies.
    server: { deps: { inline: [/@toolwire\//] } },
  },
});
