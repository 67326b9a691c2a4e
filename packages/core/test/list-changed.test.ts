/**
 * `notifications/tools/list_changed` refreshes the catalogue: a tool the server adds at run
 * time appears (named like the others), can be called at once, and `tools:changed` says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, silentLogger, type ToolsChangedEvent } from '../src/index.js';
import { fixtureStdio, waitFor } from './support/index.js';

describe('tools/list_changed', () => {
  let registry: Registry;

  beforeAll(async () => {
    registry = await createRegistry({
      servers: { fixture: fixtureStdio(), other: fixtureStdio({ name: 'other' }) },
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('adds the new tool to the catalogue and emits tools:changed', async () => {
    const changes: ToolsChangedEvent[] = [];
    registry.on('tools:changed', (event) => changes.push(event));
    expect(registry.tool('fixture__greet')).toBeUndefined();

    await registry.callTool('fixture__add_tool', { name: 'greet' });

    const change = await waitFor(() => changes.find((event) => event.server === 'fixture'), {
      message: 'a tools:changed event',
    });
    expect(change).toEqual({ server: 'fixture', added: ['fixture__greet'], changed: [], removed: [] });
    expect(registry.tool('fixture__greet')).toMatchObject({
      server: 'fixture',
      serverToolName: 'greet',
      description: 'Added at run time: greet',
      status: 'active',
    });
    expect(registry.server('fixture')?.toolCount).toBe(6);
    expect((await registry.callTool('fixture__greet', {})).text).toBe('greet ran');
  });

  it('emits nothing when a refresh finds the same tools', async () => {
    const changes: ToolsChangedEvent[] = [];
    registry.on('tools:changed', (event) => changes.push(event));
    await registry.refresh();
    expect(registry.tool('fixture__greet')).toBeDefined();
    expect(changes).toEqual([]);
  });

  it('leaves the other servers’ tools alone', () => {
    expect(registry.tools({ server: 'other' }).map((tool) => tool.name)).toEqual([
      'other__echo',
      'other__sleep',
      'other__fail',
      'other__crash',
      'other__add_tool',
    ]);
  });
});
