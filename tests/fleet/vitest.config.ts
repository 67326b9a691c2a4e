import { defineConfig } from 'vitest/config';

// The fleet's publishers run as separate node processes from the built `@toolwire/publisher`
// (turbo builds it before `test`); the clients in the tests may read sources directly.
export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // The instance processes run one-file builds of their scripts (cheaper to start, same code).
    globalSetup: ['./support/bundle-instances.mjs'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
