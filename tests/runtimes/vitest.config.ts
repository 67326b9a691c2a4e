import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: under `pnpm test` every package's suite shares two cores. Bundling and starting a
    // runtime are bounded by the work, not by a clock; these only stop a hang.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
