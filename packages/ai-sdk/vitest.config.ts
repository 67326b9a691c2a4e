import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../core/test/support/temp-cache-dir.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Run by vitest.ai6.config.ts, against ai@6.
    exclude: ['test/ai6/**'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Files share their worker's modules instead of importing `ai`, the SDK and core afresh each
    // (37% of the run was imports): no file here mocks modules or leaves global state behind
    // (generate-text.test.ts restores the one global it sets), and each starts its own servers.
    isolate: false,
  },
});
