// The ai@6 suite: `ai` (in the adapter's source and in these tests) resolves to `ai6`, the
// devDependency alias of the previous major, so the same code runs as an ai@6 user's would.
import { defineConfig } from 'vitest/config';

const ai6 = [
  { find: /^ai$/, replacement: 'ai6' },
  { find: /^ai\/test$/, replacement: 'ai6/test' },
];

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'], alias: ai6 },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['test/ai6/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
