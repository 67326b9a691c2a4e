import { defineConfig } from 'vitest/config';

/** Files that need modules of their own (see each file's header). */
const isolatedFiles = ['test/langsmith-tracing.test.ts'];

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../core/test/support/temp-cache-dir.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: isolatedFiles,
          // Files share their worker's modules instead of importing LangChain, the SDK and core
          // afresh each (42% of the run was imports): no file here mocks modules or sets global
          // state, and each starts its own servers.
          isolate: false,
        },
      },
      {
        extends: true,
        // LangChain's LangSmith client is a process-wide singleton that reads its endpoint once.
        test: { name: 'isolated', include: isolatedFiles, isolate: true },
      },
    ],
  },
});
