/**
 * Each kind of MCP content as a message part, and the parts accepted by a real `generateText`
 * (the AI SDK's mock model) in user and assistant messages. server-everything's prompts carry
 * no binary content, so binary blocks are built here.
 */
import { generateText } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { contentBlockToPart, resourceContentsToPart } from './message-parts.js';
import { generateResults } from './testing.js';

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('MCP content as message parts', () => {
  it('keeps text, and turns images and audio into file parts', () => {
    expect(contentBlockToPart({ type: 'text', text: 'hi' })).toEqual({ type: 'text', text: 'hi' });
    expect(contentBlockToPart({ type: 'image', data: PNG, mimeType: 'image/png' })).toEqual({
      type: 'file',
      data: PNG,
      mediaType: 'image/png',
    });
    expect(contentBlockToPart({ type: 'audio', data: 'AAAA', mimeType: 'audio/wav' })).toEqual({
      type: 'file',
      data: 'AAAA',
      mediaType: 'audio/wav',
    });
  });

  it('turns binary resources into named file parts and textual blobs into text', () => {
    expect(
      resourceContentsToPart({
        uri: 'file:///data/report.pdf?v=2',
        mimeType: 'application/pdf',
        blob: 'JVBERi0=',
      }),
    ).toEqual({ type: 'file', data: 'JVBERi0=', mediaType: 'application/pdf', filename: 'report.pdf' });
    expect(
      resourceContentsToPart({ uri: 'file:///a.json', mimeType: 'application/json', blob: btoa('{"a":1}') }),
    ).toEqual({
      type: 'text',
      text: 'Resource file:///a.json (application/json):\n{"a":1}',
    });
    expect(resourceContentsToPart({ uri: 'file:///raw', blob: 'AAEC' })).toEqual({
      type: 'file',
      data: 'AAEC',
      mediaType: 'application/octet-stream',
      filename: 'raw',
    });
  });

  it('keeps a resource link as text, never as a URL the SDK would download', () => {
    expect(
      contentBlockToPart({
        type: 'resource_link',
        uri: 'https://example.com/big.bin',
        name: 'big',
        mimeType: 'application/octet-stream',
      }),
    ).toEqual({
      type: 'text',
      text: 'Resource link https://example.com/big.bin: big; type application/octet-stream',
    });
  });

  it('produces parts generateText accepts in user and assistant messages', async () => {
    const model = new MockLanguageModelV4({ doGenerate: generateResults([{ text: 'ok' }]) });
    const image = contentBlockToPart({ type: 'image', data: PNG, mimeType: 'image/png' });
    const pdf = resourceContentsToPart({
      uri: 'file:///r.pdf',
      mimeType: 'application/pdf',
      blob: 'JVBERi0=',
    });
    await generateText({
      model,
      messages: [
        { role: 'user', content: [image, { type: 'text', text: 'What is this?' }] },
        { role: 'assistant', content: [pdf] },
      ],
    });
    expect(model.doGenerateCalls[0]!.prompt).toMatchObject([
      {
        role: 'user',
        content: [
          { type: 'file', mediaType: 'image/png' },
          { type: 'text', text: 'What is this?' },
        ],
      },
      { role: 'assistant', content: [{ type: 'file', mediaType: 'application/pdf', filename: 'r.pdf' }] },
    ]);
  });
});
