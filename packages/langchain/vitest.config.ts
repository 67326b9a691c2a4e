import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../core/test/support/temp-cache-dir.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Files share their worker's modules instead of importing LangChain, the SDK and core afresh
    // each (42% of the run was imports): no file here mocks modules or sets global state, and each
    // starts its own servers.
    isolate: false,
  },
});
