/**
 * Resource templates and completions of a real server (server-everything over stdio):
 * `listResourceTemplates` lists its URI templates with the server they belong to, a resource
 * made from one reads through `readResource`, and `complete` asks the server to complete an
 * argument of its prompt (by the server's own prompt name) and of its resource template.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger } from '../src/index.js';
import { everythingStdio } from './support/index.js';

describe('resource templates and completions (server-everything)', () => {
  let registry: Registry;

  beforeAll(async () => {
    registry = await createRegistry({
      servers: { everything: everythingStdio() },
      cache: 'memory',
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('lists the server’s resource templates and reads a resource made from one', async () => {
    const templates = await registry.listResourceTemplates();
    const text = templates.find(
      (template) => template.uriTemplate === 'demo://resource/dynamic/text/{resourceId}',
    );
    expect(text).toMatchObject({
      server: 'everything',
      name: 'Dynamic Text Resource',
      mimeType: 'text/plain',
    });
    expect(await registry.listResourceTemplates('everything')).toEqual(templates);
    expect(await registry.listResourceTemplates('nobody')).toEqual([]);

    const read = await registry.readResource('everything', 'demo://resource/dynamic/text/7');
    expect(read.contents[0]).toMatchObject({ uri: 'demo://resource/dynamic/text/7', mimeType: 'text/plain' });
  });

  it('completes a prompt argument, with the earlier arguments as context', async () => {
    const departments = await registry.complete('everything', {
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'S' },
    });
    expect(departments.completion.values).toEqual(['Sales', 'Support']);

    const names = await registry.complete('everything', {
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { arguments: { department: 'Marketing' } },
    });
    expect(names.completion.values).toEqual(['Grace', 'Henry', 'Iris']);
  });

  it('completes a resource template variable', async () => {
    const ids = await registry.complete('everything', {
      ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' },
      argument: { name: 'resourceId', value: '42' },
    });
    expect(ids.completion.values).toEqual(['42']);
  });

  it('rejects a server it does not know with CONFIG_INVALID', async () => {
    await expect(
      registry.complete('nobody', {
        ref: { type: 'ref/prompt', name: 'completable-prompt' },
        argument: { name: 'department', value: '' },
      }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
