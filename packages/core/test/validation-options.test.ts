/**
 * The `validation` option against a real server (the stdio fixture): your own validator is the
 * one used, one that throws is reported once and lets calls through (the server validates), and
 * the built-in one's engine and cache size are chosen here, with bad values refused as config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createRegistry,
  InvalidArgumentsError,
  type Logger,
  type SchemaValidator,
  silentLogger,
} from '../src/index.js';
import { createTempDir, fixtureStdio, readEvents, type TempDir } from './support/index.js';

describe('the validation option', () => {
  let dir: TempDir;

  beforeAll(async () => {
    dir = await createTempDir();
  });

  afterAll(async () => {
    await dir?.remove();
  });

  it('uses your validator for every check', async () => {
    const compiled: unknown[] = [];
    const validator: SchemaValidator = {
      compile(schema) {
        compiled.push(schema);
        return {
          dialect: '2020-12',
          compileError: undefined,
          validate: (args) =>
            (args as { message?: unknown }).message === 'forbidden'
              ? {
                  valid: false,
                  issues: [
                    {
                      path: ['message'],
                      pathText: 'message',
                      message: 'is forbidden here',
                      keyword: 'policy',
                    },
                  ],
                }
              : { valid: true },
        };
      },
    };
    await using registry = await createRegistry({
      servers: { fixture: fixtureStdio() },
      validation: { validator },
      logger: silentLogger,
    });
    const error = await registry
      .callTool('fixture__echo', { message: 'forbidden' })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentsError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentsError).message).toContain('message: is forbidden here');
    // Your validator decides alone: the built-in one would refuse a number here.
    const result = await registry.callTool('fixture__echo', { message: 42 });
    expect(result.isError).toBe(true); // the server's own validation answered
    expect(compiled.length).toBeGreaterThan(0);
  });

  it('reports a validator that throws once, and lets calls through to the server', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (message) => warnings.push(message), error() {} };
    const eventsFile = dir.file('throwing.jsonl');
    await using registry = await createRegistry({
      servers: { fixture: fixtureStdio({ eventsFile }) },
      validation: {
        validator: {
          compile: () => ({
            dialect: '2020-12',
            compileError: undefined,
            validate: () => {
              throw new TypeError('validator bug');
            },
          }),
        },
      },
      logger,
    });
    await registry.callTool('fixture__echo', { message: 'one' });
    await registry.callTool('fixture__echo', { message: 'two' });
    expect((await readEvents(eventsFile)).filter((event) => event.tool === 'echo')).toHaveLength(2);
    expect(warnings.filter((warning) => warning.includes('"fixture__echo"'))).toEqual([
      expect.stringContaining('validator bug'),
    ]);
  });

  it('chooses the built-in engine and cache size, and refuses bad values as config', async () => {
    await using registry = await createRegistry({
      servers: { fixture: fixtureStdio() },
      validation: { engine: 'interpreted', cacheSize: 2 },
      logger: silentLogger,
    });
    const error = await registry
      .callTool('fixture__echo', { message: 42 })
      .catch((caught: unknown) => caught);
    expect((error as InvalidArgumentsError).issues).toMatchObject([
      { pathText: 'message', message: 'must be string' },
    ]);

    for (const validation of [{ cacheSize: 0 }, { engine: 'fast' }, { validator: {} }]) {
      const refused = await createRegistry({
        servers: {},
        validation: validation as never,
        logger: silentLogger,
      }).catch((caught: unknown) => caught);
      expect(ConfigError.isInstance(refused), JSON.stringify(validation)).toBe(true);
      expect((refused as ConfigError).message).toContain('validation');
    }
  });
});
