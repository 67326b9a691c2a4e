/**
 * Roots offered to servers, against the real server-filesystem (a 2025 server over stdio), which
 * asks a client declaring roots for them once initialized and then works only inside them: the
 * registry's fixed list or handler answers, a conversation's handler answers its own connection,
 * no roots means no capability declared, and a bad list is refused up front.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  type LogEvent,
  type Registry,
  type ServerRequestContext,
  silentLogger,
} from '../src/index.js';
import { createTempDir, filesystemStdio, type TempDir, waitFor } from './support/index.js';

const LIST = 'files__list_allowed_directories';

/** The directories server-filesystem says it may touch, once it names `expected`. */
async function allowedOnceIncludes(
  registry: Registry,
  expected: string,
  sessionKey?: string,
  tool = LIST,
): Promise<string> {
  return waitFor(
    async () => {
      const result = await registry.callTool(tool, {}, sessionKey === undefined ? {} : { sessionKey });
      return result.text.includes(expected) ? result.text : undefined;
    },
    { message: `server-filesystem to allow ${expected}` },
  );
}

describe('roots offered to server-filesystem', () => {
  let started: TempDir;
  let offered: TempDir;
  let perConversation: TempDir;
  let registry: Registry;
  const seen: ServerRequestContext[] = [];

  beforeAll(async () => {
    [started, offered, perConversation] = await Promise.all([
      createTempDir(),
      createTempDir(),
      createTempDir(),
    ]);
    registry = await createRegistry({
      servers: {
        files: filesystemStdio(started.path),
        // One process per conversation, so a conversation's roots reach its own server.
        threads: { ...filesystemStdio(started.path), session: 'per-conversation' },
      },
      roots: (context) => {
        seen.push(context);
        return [{ uri: pathToFileURL(offered.path).href, name: 'offered' }];
      },
      cache: 'none',
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await Promise.all([started?.remove(), offered?.remove(), perConversation?.remove()]);
  });

  it('declares roots, and the server replaces its directories with the registry handler answer', async () => {
    const allowed = await allowedOnceIncludes(registry, offered.path);
    expect(allowed).not.toContain(started.path);
    const asked = seen.find((context) => context.server === 'files');
    expect(asked?.signal).toBeInstanceOf(AbortSignal);
    expect(asked?.sessionKey).toBeUndefined();
  });

  it("answers a conversation's connection with the conversation's own roots", async () => {
    const clear = registry.setSessionHandlers('thread-1', {
      onRoots: ({ sessionKey }) => [
        { uri: pathToFileURL(perConversation.path).href, name: String(sessionKey) },
      ],
    });
    try {
      const allowed = await allowedOnceIncludes(
        registry,
        perConversation.path,
        'thread-1',
        'threads__list_allowed_directories',
      );
      expect(allowed).not.toContain(offered.path);
      // The shared connection keeps the registry's answer.
      expect((await registry.callTool(LIST, {})).text).toContain(offered.path);
    } finally {
      clear();
    }
  });
});

describe('roots options', () => {
  it('a fixed list is answered as given', async () => {
    await using started = await createTempDir();
    await using offered = await createTempDir();
    const registry = await createRegistry({
      servers: { files: filesystemStdio(started.path) },
      roots: [{ uri: pathToFileURL(offered.path).href }],
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(await allowedOnceIncludes(registry, offered.path)).not.toContain(started.path);
    } finally {
      await registry.close();
    }
  });

  it('without roots the capability is not declared, so the server keeps its own directories', async () => {
    await using started = await createTempDir();
    const registry = await createRegistry({
      servers: { files: filesystemStdio(started.path) },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect((await registry.callTool(LIST, {})).text).toContain(started.path);
    } finally {
      await registry.close();
    }
  });

  it('a handler answering a non-file:// root fails (HANDLER_FAILED, logged), and the server keeps its directories', async () => {
    await using started = await createTempDir();
    const logs: LogEvent[] = [];
    const registry = await createRegistry({
      servers: { files: filesystemStdio(started.path) },
      roots: () => [{ uri: 'https://example.invalid/repo' }],
      listeners: { log: (event) => logs.push(event) },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      const failure = await waitFor(() => logs.find((event) => event.message.includes('roots handler')), {
        message: 'the failed roots handler to be logged',
      });
      expect(failure.level).toBe('warn');
      expect(failure.message).toContain('"files"');
      expect(failure.message).toContain('file://');
      expect((await registry.callTool(LIST, {})).text).toContain(started.path);
    } finally {
      await registry.close();
    }
  });

  it('refuses a list whose uri is not a file:// URI, naming the option', async () => {
    await expect(
      createRegistry({
        servers: {},
        roots: [{ uri: 'https://example.invalid/repo' }],
        logger: silentLogger,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('roots:') });
  });
});
