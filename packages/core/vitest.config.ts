import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: under `pnpm test` every package's suite runs at once on two shared cores, and
    // hooks start real servers. Our own deadlines (connect, call) fail a stuck test far sooner.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The integration suites mostly wait on child servers, not on the CPU: two files at a time
    // halve the wall time without adding much load next to the other packages' suites.
    maxWorkers: 2,
  },
});
