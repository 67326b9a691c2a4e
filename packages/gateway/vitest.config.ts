import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../core/test/support/temp-cache-dir.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Test files share their workers' module graph (isolate: false): each file's own top-level
    // state is still its own, but the sources it imports are loaded once per worker, not once per
    // file. Measured on the whole suite (36 files): 98 s of CPU with isolation, 32-38 s without,
    // every test passing either way (also with the files shuffled). No file here mocks modules or
    // changes process-wide state.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
