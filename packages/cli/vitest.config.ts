import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['../core/test/support/temp-cache-dir.ts'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Test files share their workers' module graph (isolate: false): the CLI's sources, and with
    // them core, gateway, publisher, inspector and the SDK, are loaded once per worker, not once
    // per file. No file mocks modules or leaves process-wide state changed (secrets.test.ts
    // restores TOOLWIRE_CACHE_DIR; the commands remove the signal listeners they add).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
