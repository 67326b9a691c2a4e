/**
 * The reference servers server-filesystem and server-memory over stdio, each confined to a
 * temporary directory, in one registry: real tools with structured results, nested argument
 * validation, a tool error for a path outside the allowed directory, and the memory server's
 * graph written where we told it to.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, InvalidArgumentsError, type Registry, silentLogger } from '../src/index.js';
import { createTempDir, filesystemStdio, memoryStdio, type TempDir } from './support/index.js';

describe('server-filesystem and server-memory over stdio', () => {
  let files: TempDir;
  let outside: TempDir;
  let memory: TempDir;
  let registry: Registry;

  beforeAll(async () => {
    [files, outside, memory] = await Promise.all([createTempDir(), createTempDir(), createTempDir()]);
    await writeFile(files.file('notes.txt'), 'first line\nsecond line\n');
    await writeFile(outside.file('secret.txt'), 'not for tools');
    registry = await createRegistry({
      servers: {
        files: filesystemStdio(files.path),
        memory: memoryStdio(memory.file('memory.jsonl')),
      },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await Promise.all([files?.remove(), outside?.remove(), memory?.remove()]);
  });

  it('connects both', () => {
    expect(registry.servers().map((server) => [server.name, server.status])).toEqual([
      ['files', 'active'],
      ['memory', 'active'],
    ]);
    expect(registry.tool('files__read_text_file')).toBeDefined();
    expect(registry.tool('memory__read_graph')).toBeDefined();
  });

  it('reads, writes and edits files inside the allowed directory', async () => {
    const read = await registry.callTool('files__read_text_file', { path: files.file('notes.txt') });
    expect(read.text).toBe('first line\nsecond line\n');
    expect(read.structuredContent).toEqual({ content: 'first line\nsecond line\n' });

    await registry.callTool('files__write_file', { path: files.file('new.txt'), content: 'hello' });
    expect(await readFile(files.file('new.txt'), 'utf8')).toBe('hello');

    const edit = await registry.callTool('files__edit_file', {
      path: files.file('notes.txt'),
      edits: [{ oldText: 'second line', newText: 'edited line' }],
    });
    expect(edit.isError).toBe(false);
    expect(await readFile(files.file('notes.txt'), 'utf8')).toBe('first line\nedited line\n');

    const listing = await registry.callTool('files__list_directory', { path: files.path });
    expect(listing.text).toContain('[FILE] new.txt');
    expect(listing.text).toContain('[FILE] notes.txt');
  });

  it('returns a tool error for a path outside the allowed directory', async () => {
    const result = await registry.callTool('files__read_text_file', { path: outside.file('secret.txt') });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/Access denied|outside allowed directories/i);
    expect(result.text).not.toContain('not for tools');
  });

  it('names the nested argument path of a bad edit', async () => {
    const error = await registry
      .callTool('files__edit_file', { path: files.file('notes.txt'), edits: [{ oldText: 'first line' }] })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentsError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentsError).issues).toEqual([
      expect.objectContaining({
        path: ['edits', 0, 'newText'],
        pathText: 'edits[0].newText',
        keyword: 'required',
      }),
    ]);
    expect(await readFile(files.file('notes.txt'), 'utf8')).toBe('first line\nedited line\n');
  });

  it('keeps a knowledge graph in the memory file it was given', async () => {
    const created = await registry.callTool('memory__create_entities', {
      entities: [{ name: 'Oslo', entityType: 'city', observations: ['capital of Norway'] }],
    });
    expect(created.structuredContent).toEqual({
      entities: [{ name: 'Oslo', entityType: 'city', observations: ['capital of Norway'] }],
    });
    await registry.callTool('memory__create_relations', {
      relations: [{ from: 'Oslo', to: 'Oslo', relationType: 'is' }],
    });
    const graph = await registry.callTool('memory__read_graph', {});
    expect(graph.structuredContent).toMatchObject({
      entities: [expect.objectContaining({ name: 'Oslo' })],
      relations: [{ from: 'Oslo', to: 'Oslo', relationType: 'is' }],
    });
    expect(await readFile(memory.file('memory.jsonl'), 'utf8')).toContain('"name":"Oslo"');
  });
});
