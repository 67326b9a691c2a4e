/**
 * `notifications/prompts/list_changed` refreshes a server's prompts: a prompt the server adds at
 * run time is listed by `prompts()` and can be rendered at once, one it removes is gone, and
 * `prompts:changed` names the server each time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type PromptsChangedEvent, type Registry, silentLogger } from '../src/index.js';
import { fixturePath, waitFor } from './support/index.js';

describe('prompts/list_changed', () => {
  let registry: Registry;
  const changes: PromptsChangedEvent[] = [];

  beforeAll(async () => {
    registry = await createRegistry({
      servers: { prompts: { command: process.execPath, args: [fixturePath('prompts-server.mjs')] } },
      cache: 'memory',
      logger: silentLogger,
    });
    registry.on('prompts:changed', (event) => changes.push(event));
  });

  afterAll(async () => {
    await registry?.close();
  });

  it('lists a prompt the server adds, renders it, and emits prompts:changed', async () => {
    expect(registry.prompts().map((prompt) => prompt.name)).toEqual(['prompts__hello']);
    await registry.callTool('prompts__add_prompt', { name: 'later' });
    await waitFor(() => changes.length === 1, { message: 'a prompts:changed event' });
    expect(changes).toEqual([{ server: 'prompts' }]);
    expect(registry.prompts().map((prompt) => prompt.name)).toEqual(['prompts__hello', 'prompts__later']);
    const rendered = await registry.getPrompt('prompts__later');
    expect(rendered.messages[0]?.content).toEqual({ type: 'text', text: 'This is later.' });
  });

  it('drops a prompt the server removes', async () => {
    await registry.callTool('prompts__remove_prompt', { name: 'hello' });
    await waitFor(() => changes.length === 2, { message: 'a second prompts:changed event' });
    expect(registry.prompts('prompts').map((prompt) => prompt.name)).toEqual(['prompts__later']);
  });
});
