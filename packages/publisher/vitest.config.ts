import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The temporary schema cache first: nothing a test starts writes to ~/.cache/toolwire.
    globalSetup: ['../core/test/support/temp-cache-dir.ts', 'test/support/global-setup.ts'],
    // Test files share their workers' module graph (isolate: false): each file's own top-level
    // state is still its own, but the sources it imports are loaded once per worker, not once per
    // file. Measured on the whole suite (50 files): 121 s of CPU with isolation, 32-39 s without,
    // every test passing either way (also with the files shuffled). A test that fakes timers
    // restores them after itself; none mocks modules or leaves process-wide state (environment,
    // globals) changed.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
