/**
 * Tool results as the model receives them, over a real stdio MCP server: media as standard
 * content blocks, structured content in the artifact (and as text when there is no content),
 * tool errors as error messages or, on request, as `ToolException`s.
 */
import type { ToolMessage } from '@langchain/core/messages';
import { createRegistry, type Registry } from '@toolwire/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolException, toLangChainTool, toLangChainTools } from '../src/index.js';
import { adapterServer, everythingServer } from './support/servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: { fixture: adapterServer(), everything: everythingServer() },
  });
}, 60_000);

afterAll(async () => {
  await registry?.close();
});

function call(name: string, args: Record<string, unknown> = {}) {
  return { type: 'tool_call' as const, id: `call_${name}`, name, args };
}

describe('tool results', () => {
  it('maps every content kind and keeps the raw result as the artifact', async () => {
    const message: ToolMessage = await toLangChainTool(registry, 'fixture__mixed_content').invoke(
      call('fixture__mixed_content'),
    );
    expect(message.status).toBe('success');
    expect(message.tool_call_id).toBe('call_fixture__mixed_content');
    expect(message.content).toEqual([
      { type: 'text', text: 'all kinds' },
      { type: 'image', data: expect.any(String), mimeType: 'image/png' },
      { type: 'audio', data: 'UklGRg==', mimeType: 'audio/wav' },
      { type: 'text', text: 'note one' },
      { type: 'file', data: 'JVBERi0=', mimeType: 'application/pdf', metadata: { uri: 'mem://files/1' } },
      { type: 'text', text: '[resource link] report: mem://files/2 (text/csv)' },
    ]);
    expect(message.artifact.content.map((block: { type: string }) => block.type)).toEqual([
      'text',
      'image',
      'audio',
      'resource',
      'resource',
      'resource_link',
    ]);
  });

  it("maps server-everything's image and structured results", async () => {
    const image: ToolMessage = await toLangChainTool(registry, 'everything__get-tiny-image').invoke(
      call('everything__get-tiny-image'),
    );
    expect(Array.isArray(image.content)).toBe(true);
    expect(image.content).toContainEqual({ type: 'image', data: expect.any(String), mimeType: 'image/png' });

    const weather: ToolMessage = await toLangChainTool(registry, 'everything__get-structured-content').invoke(
      call('everything__get-structured-content', { location: 'Chicago' }),
    );
    expect(weather.artifact.structuredContent).toMatchObject({ temperature: expect.any(Number) });
  });

  it('shows structured content as the text when the tool returned no content', async () => {
    const message: ToolMessage = await toLangChainTool(registry, 'fixture__structured_only').invoke(
      call('fixture__structured_only', { city: 'Oslo' }),
    );
    expect(JSON.parse(String(message.content))).toEqual({ city: 'Oslo', celsius: 21.5 });
    expect(message.artifact.structuredContent).toEqual({ city: 'Oslo', celsius: 21.5 });
  });

  it("returns tool errors as error messages by default, or throws ToolException with toolErrors: 'throw'", async () => {
    const [asMessage] = toLangChainTools(registry, { include: ['fixture__fail'] });
    const message: ToolMessage = await asMessage!.invoke(call('fixture__fail', { reason: 'quota' }));
    expect(message).toMatchObject({ status: 'error', content: 'failed on purpose: quota' });

    const throwing = toLangChainTool(registry, 'fixture__fail', { toolErrors: 'throw' });
    const error = await throwing
      .invoke(call('fixture__fail', { reason: 'quota' }))
      .catch((caught: unknown) => caught);
    expect(ToolException.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TOOL_ERROR', tool: 'fixture__fail', server: 'fixture' });
    expect((error as ToolException).result.text).toBe('failed on purpose: quota');
  });

  it('returns the content alone when invoked with plain arguments, and throws for a tool error', async () => {
    expect(await toLangChainTool(registry, 'everything__echo').invoke({ message: 'hi' })).toBe('Echo: hi');
    await expect(toLangChainTool(registry, 'fixture__fail').invoke({ reason: 'x' })).rejects.toSatisfy(
      (error: unknown) => ToolException.isInstance(error),
    );
  });

  it('names the closest tools when one is asked for by a wrong name', () => {
    expect(() => toLangChainTool(registry, 'fixture__mixed')).toThrow(/fixture__mixed_content/);
    let caught: unknown;
    try {
      toLangChainTool(registry, 'nope');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'TOOL_NOT_FOUND', tool: 'nope' });
  });
});
