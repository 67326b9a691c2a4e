/**
 * Tool results are validated once, without the SDK client's per-request failing probe
 * (`connection/result-validators.ts`): a valid result arrives, a result that is no CallToolResult
 * is still refused, and the codec is asked about a missing result at most once per method.
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, describe, expect, it } from 'vitest';
import { skipResultSchemaProbe } from '../src/connection/result-validators.js';
import { createRegistry, silentLogger, ToolwireError } from '../src/index.js';
import { faultServerPath, stdioFaultServer, temporaryDirectory } from './support/fault-servers.js';

const directory = temporaryDirectory('result-validation');
const eventsFile = join(directory.path, 'events.jsonl');
afterAll(() => directory.cleanup());

type Codec = { validateResult(method: string, raw: unknown): unknown };

describe('tool results without the failing probe', () => {
  it('validates each result once and asks about a missing result at most once', async () => {
    const client = new Client({ name: 'result-validation', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [faultServerPath],
        env: { FAULT_NAME: 's', FAULT_EVENTS_FILE: eventsFile },
        stderr: 'ignore',
      }),
    );
    try {
      // Count what the codec is asked, through a copy of it that this client alone uses.
      const internals = client as unknown as { _resolveOutboundCodec(method: string): Codec };
      const resolve = internals._resolveOutboundCodec.bind(client);
      const asked = { probes: 0, results: 0 };
      const copies = new Map<Codec, Codec>();
      internals._resolveOutboundCodec = (method) => {
        const codec = resolve(method);
        let copy = copies.get(codec);
        if (!copy) {
          copy = {
            ...codec,
            validateResult: (name, raw) => {
              if (name === 'tools/call') {
                if (raw === undefined) asked.probes++;
                else asked.results++;
              }
              return codec.validateResult(name, raw);
            },
          };
          copies.set(codec, copy);
        }
        return copy;
      };
      skipResultSchemaProbe(client);
      for (let index = 0; index < 5; index++) {
        const result = await client.callTool({ name: 'echo', arguments: { message: `m${index}` } });
        expect(result.content).toEqual([{ type: 'text', text: `s: m${index}` }]);
      }
      expect(asked.results).toBe(5);
      expect(asked.probes).toBeLessThanOrEqual(1);
      await expect(client.callTool({ name: 'invalid_result', arguments: {} })).rejects.toThrow(
        /Invalid result for tools\/call/,
      );
    } finally {
      await client.close();
    }
  });

  it('still refuses a result that is no CallToolResult through the registry', async () => {
    const registry = await createRegistry({
      servers: { s: stdioFaultServer('s', eventsFile) },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(await registry.callTool('s__echo', { message: 'hi' })).toMatchObject({
        content: [{ type: 'text', text: 's: hi' }],
      });
      const failure = await registry.callTool('s__invalid_result', {}).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(ToolwireError.isInstance(failure)).toBe(true);
      expect(String((failure as Error).message)).toMatch(/invalid result/i);
      // The connection is fine afterwards.
      expect(await registry.callTool('s__echo', { message: 'again' })).toMatchObject({
        content: [{ type: 'text', text: 's: again' }],
      });
    } finally {
      await registry.close();
    }
  });
});
