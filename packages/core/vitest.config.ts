import { defineConfig } from 'vitest/config';

/** The suites that check argument validation: run once more where code generation is disallowed. */
const validationSuites = [
  'src/schema/**/*.test.ts',
  'test/hostile-schemas.test.ts',
  'test/call-errors.test.ts',
];

/** Suites that register process-wide globals (the OpenTelemetry API's providers): a fresh worker each. */
const globalStateSuites = ['test/open-telemetry.test.ts'];

export default defineConfig({
  resolve: { conditions: ['@toolwire/source'] },
  ssr: { resolve: { conditions: ['@toolwire/source'] } },
  test: {
    // Nothing a test starts writes to ~/.cache/toolwire: the run's cache is a temporary directory.
    globalSetup: ['./test/support/temp-cache-dir.ts'],
    // Generous: under `pnpm test` every package's suite runs at once on two shared cores, and
    // hooks start real servers. Our own deadlines (connect, call) fail a stuck test far sooner.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The integration suites mostly wait on child servers, not on the CPU: two files at a time
    // halve the wall time without adding much load next to the other packages' suites.
    maxWorkers: 2,
    projects: [
      {
        // One module graph per worker, not per file: evaluating src and the SDK again for each of
        // ~60 files was a third of the suite's CPU. Tests share no state through modules; the
        // suites that set process-wide globals run isolated below.
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: globalStateSuites,
          isolate: false,
        },
      },
      { extends: true, test: { name: 'node-isolated', include: globalStateSuites } },
      {
        // As on Cloudflare Workers and Vercel Edge: `new Function` throws, so the registry must
        // choose the interpreted engine and still reject invalid arguments.
        extends: true,
        test: {
          name: 'no-codegen',
          include: validationSuites,
          isolate: false,
          execArgv: ['--disallow-code-generation-from-strings'],
        },
      },
    ],
  },
});
