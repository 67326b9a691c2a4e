/**
 * A call without the Tasks extension (`callTool(…, { tasks: false })`) against our SDK v2 HTTP
 * fixture, on both eras. On 2026-07-28 the request's `_meta` client capabilities leave the
 * extension out (and keep the rest), so the server sees a client that cannot take a task, and a
 * tool that runs only as a task is refused with -32021: `TASK_REQUIRED`, carrying the server's
 * error unchanged. On 2025-11-25 capabilities are the session's and no call is a task, so the
 * option sends nothing of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger, TASKS_EXTENSION, ToolwireError } from '../src/index.js';
import { type HttpFixtureServer, readEvents, startHttpFixture } from './support/fixture-servers.js';
import { createTempDir, type TempDir } from './support/temp-dir.js';

let dir: TempDir;
let http: HttpFixtureServer;
let registry: Registry;

beforeAll(async () => {
  dir = await createTempDir();
  http = await startHttpFixture({ name: 'tasks', eventsFile: dir.file('events.jsonl'), taskTools: true });
  registry = await createRegistry({
    logger: silentLogger,
    cache: 'none',
    servers: {
      modern: { url: http.url, protocol: '2026-07-28' },
      legacy: { url: http.url, protocol: 'legacy' },
    },
    // Declared capabilities the opt-out must keep.
    onElicitation: async () => ({ action: 'decline' }),
  });
});

afterAll(async () => {
  await registry?.close();
  await http?.stop();
  await dir?.remove();
});

/** The client capabilities each `tasks_declared` call carried in its `_meta` (`undefined`: none). */
async function declaredCapabilities(): Promise<(Record<string, unknown> | undefined)[]> {
  const events = await readEvents(dir.file('events.jsonl'));
  return events
    .filter((event) => event.tool === 'tasks_declared')
    .map((event) => event.params?.capabilities as Record<string, unknown> | undefined);
}

describe('a call without the Tasks extension, on 2026-07-28', () => {
  it('declares the extension by default and leaves it out of this request alone with tasks: false', async () => {
    expect((await registry.callTool('modern__tasks_declared', {})).text).toBe('declared');
    expect((await registry.callTool('modern__tasks_declared', {}, { tasks: false })).text).toBe(
      'not declared',
    );
    // The next call declares it again: the opt-out was this request's, not the connection's.
    expect((await registry.callTool('modern__tasks_declared', {})).text).toBe('declared');
    const [withTasks, withoutTasks] = await declaredCapabilities();
    expect(withTasks).toMatchObject({ elicitation: {}, extensions: { [TASKS_EXTENSION]: {} } });
    // Everything else the connection declared is still declared.
    expect(withoutTasks).toEqual({ ...withTasks, extensions: undefined });
    expect(withoutTasks).not.toHaveProperty('extensions');
  });

  it('gets TASK_REQUIRED, with the server error unchanged, for a tool that runs only as a task', async () => {
    const error = await registry
      .callTool('modern__task_only', {}, { tasks: false })
      .catch((caught: unknown) => caught);
    expect(ToolwireError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'TASK_REQUIRED',
      server: 'modern',
      tool: 'modern__task_only',
      protocolError: {
        code: -32021,
        message: expect.stringContaining('needs the io.modelcontextprotocol/tasks extension'),
        data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      },
    });
    expect((error as ToolwireError).message).toMatch(/runs "modern__task_only" only as a task/);
    expect((error as ToolwireError).toJSON()).toMatchObject({ code: 'TASK_REQUIRED', protocolCode: -32021 });
    // With the extension declared, the same tool runs.
    expect((await registry.callTool('modern__task_only', {})).text).toBe('ran');
  });

  it('is refused by startTask(), which exists to take tasks', async () => {
    const error = await registry
      .startTask('modern__tasks_declared', {}, { tasks: false } as never)
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('tasks: false'),
    });
  });
});

describe('a call without the Tasks extension, on 2025-11-25', () => {
  it('sends no capabilities of its own: the era fixes them per session and never makes a call a task', async () => {
    const before = (await declaredCapabilities()).length;
    const result = await registry.callTool('legacy__tasks_declared', {}, { tasks: false });
    expect(result.isError).toBe(false);
    // The server reads the session's capabilities (declared at initialize); nothing per request.
    expect(result.text).toBe('declared');
    const sent = (await declaredCapabilities()).slice(before);
    expect(sent).toEqual([undefined]);
  });
});
