import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The integration suites mostly wait on child servers, not on the CPU: three files at a time
    // keep a two-core machine busy without starving the ratio-based timing tests.
    maxWorkers: 3,
  },
});
