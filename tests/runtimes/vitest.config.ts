import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../../packages/core/test/support/temp-cache-dir.ts'],
    include: ['test/**/*.test.ts'],
    // Generous: under `pnpm test` every package's suite shares two cores. Bundling and starting a
    // runtime are bounded by the work, not by a clock; these only stop a hang.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
