/**
 * Calls that cannot run fail before reaching the server, with errors a model can act on: bad
 * arguments give `INVALID_ARGUMENTS` with the path of each bad argument (checked against the
 * tool's own JSON Schema), an unknown tool gives `TOOL_NOT_FOUND` with the closest names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  InvalidArgumentsError,
  type Registry,
  silentLogger,
  ToolNotFoundError,
  ToolwireError,
} from '../src/index.js';
import { createTempDir, everythingStdio, fixtureStdio, readEvents, type TempDir } from './support/index.js';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

describe('call errors', () => {
  let dir: TempDir;
  let registry: Registry;
  const events = () => dir.file('events.jsonl');

  beforeAll(async () => {
    dir = await createTempDir();
    registry = await createRegistry({
      servers: { everything: everythingStdio(), fixture: fixtureStdio({ eventsFile: events() }) },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await dir?.remove();
  });

  it('rejects arguments of the wrong type with the argument path', async () => {
    const error = await rejection(registry.callTool('everything__echo', { message: 42 }));
    expect(InvalidArgumentsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENTS',
      server: 'everything',
      tool: 'everything__echo',
    });
    expect((error as InvalidArgumentsError).issues).toEqual([
      { path: ['message'], pathText: 'message', message: 'must be string', keyword: 'type' },
    ]);
    expect((error as Error).message).toContain('message: must be string');
  });

  it('reports missing and out-of-enum arguments, and several problems at once', async () => {
    const missing = await rejection(registry.callTool('everything__echo', {}));
    expect((missing as InvalidArgumentsError).issues).toEqual([
      expect.objectContaining({ pathText: 'message', message: 'is required', keyword: 'required' }),
    ]);
    const enumError = await rejection(
      registry.callTool('everything__get-structured-content', { location: 'Paris' }),
    );
    expect((enumError as InvalidArgumentsError).issues).toEqual([
      expect.objectContaining({
        pathText: 'location',
        keyword: 'enum',
        message: 'must be one of "New York", "Chicago", "Los Angeles"',
      }),
    ]);
    const several = await rejection(registry.callTool('fixture__sleep', { ms: -1, steps: 'many' }));
    expect((several as InvalidArgumentsError).issues.map((entry) => entry.pathText).sort()).toEqual([
      'ms',
      'steps',
    ]);
  });

  it('never sends invalid arguments to the server', async () => {
    await rejection(registry.callTool('fixture__echo', { message: ['not', 'a', 'string'] }));
    await registry.callTool('fixture__echo', { message: 'valid' });
    const echoes = (await readEvents(events())).filter((event) => event.tool === 'echo');
    expect(echoes.map((event) => event.message)).toEqual(['valid']);
  });

  it('lets the server judge when validation is turned off for a call', async () => {
    const result = await registry.callTool('everything__echo', { message: 42 }, { validate: false });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Input validation error/);
  });

  it('rejects an unknown tool with the closest names', async () => {
    const typo = await rejection(registry.callTool('everything__ecko', { message: 'x' }));
    expect(ToolNotFoundError.isInstance(typo)).toBe(true);
    expect(typo).toMatchObject({ code: 'TOOL_NOT_FOUND', tool: 'everything__ecko' });
    expect((typo as ToolNotFoundError).suggestions[0]).toBe('everything__echo');
    expect((typo as Error).message).toMatch(
      /No tool named "everything__ecko"\. Did you mean: everything__echo/,
    );

    const unprefixed = await rejection(registry.callTool('sleep', { ms: 1 }));
    expect((unprefixed as ToolNotFoundError).suggestions).toContain('fixture__sleep');

    const nothingClose = await rejection(registry.callTool('quantum_teleport', {}));
    expect(nothingClose).toMatchObject({ code: 'TOOL_NOT_FOUND', suggestions: [] });
    expect(ToolwireError.isInstance(nothingClose)).toBe(true);
  });

  it('counts locally rejected arguments as failed calls, and unknown names as no call at all', () => {
    // everything__echo: two calls with invalid arguments (rejected here, INVALID_ARGUMENTS), then
    // the `validate: false` call whose isError result counts as an error too.
    const stats = registry.tool('everything__echo')?.stats;
    expect(stats).toMatchObject({ calls: 3, errors: 3, lastError: { code: 'TOOL_ERROR' } });
    const structured = registry.tool('everything__get-structured-content')?.stats;
    expect(structured).toMatchObject({ calls: 1, errors: 1, lastError: { code: 'INVALID_ARGUMENTS' } });
    expect(registry.stats().byTool.quantum_teleport).toBeUndefined();
  });
});
