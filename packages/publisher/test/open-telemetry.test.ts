/**
 * The publisher continues the caller's trace: a core registry with `@toolwire/core/otel` calls
 * a publisher with `@toolwire/publisher/otel` over Streamable HTTP on loopback, and the tool runs
 * inside a server span whose parent is the registry's call span (same trace, seen from the tool
 * code itself). A plain SDK client that sends trace context only in `params._meta` (MCP SEP-414,
 * as on stdio) is continued the same way. One in-memory exporter records both sides.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { createRegistry, silentLogger } from '@toolwire/core';
import { createOpenTelemetry } from '@toolwire/core/otel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPublisher, defineTool, type ListeningPublisher, type Publisher } from '../src/index.js';
import { createPublisherOpenTelemetry } from '../src/otel.js';

const exporter = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
let publisher: Publisher;
let listening: ListeningPublisher;
/** What the tool code saw as its active span, per call. */
const seen: { traceId: string | undefined; spanId: string | undefined }[] = [];

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  publisher = createPublisher({
    name: 'traced',
    version: '1.0.0',
    telemetry: createPublisherOpenTelemetry({ tracerProvider }),
    tools: [
      defineTool({
        name: 'where',
        description: 'Tells which trace it runs in.',
        inputSchema: z.object({}),
        async execute() {
          const span = trace.getActiveSpan()?.spanContext();
          seen.push({ traceId: span?.traceId, spanId: span?.spanId });
          return 'here';
        },
      }),
      defineTool({
        name: 'broken',
        description: 'Always throws.',
        inputSchema: z.object({}),
        async execute() {
          throw new Error('broken on purpose');
        },
      }),
    ],
    onError: () => {},
  });
  listening = await publisher.listen();
});
afterAll(async () => {
  await publisher?.close({ drainMs: 200 });
  await tracerProvider.shutdown();
  context.disable();
  propagation.disable();
});

describe('the publisher continues the caller trace', () => {
  it('from a core registry: the tool runs in a server span under the call span', async () => {
    await using registry = await createRegistry({
      servers: { traced: { url: listening.url } },
      cache: 'memory',
      logger: silentLogger,
      telemetry: createOpenTelemetry({ tracerProvider }),
    });
    exporter.reset();
    seen.length = 0;
    const result = await registry.callTool('traced__where', {});
    expect(result.text).toBe('here');
    const spans = exporter.getFinishedSpans();
    const client = spans.find((span) => span.kind === SpanKind.CLIENT && span.name === 'tools/call where');
    const server = spans.find((span) => span.kind === SpanKind.SERVER && span.name === 'tools/call where');
    expect(client).toBeDefined();
    expect(server?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);
    expect(server?.spanContext().traceId).toBe(client?.spanContext().traceId);
    expect(server?.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'where',
    });
    expect(seen).toEqual([{ traceId: server?.spanContext().traceId, spanId: server?.spanContext().spanId }]);

    await registry.callTool('traced__broken', {});
    const broken = exporter
      .getFinishedSpans()
      .find((span) => span.kind === SpanKind.SERVER && span.name === 'tools/call broken');
    expect(broken?.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken?.attributes['error.type']).toBe('_OTHER');
  });

  it('from trace context in params._meta alone (SEP-414)', async () => {
    const client = new Client({ name: 'meta-only', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url)));
    try {
      exporter.reset();
      seen.length = 0;
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      await client.callTool({
        name: 'where',
        arguments: {},
        _meta: { traceparent: `00-${traceId}-${parentId}-01` },
      });
      const server = exporter.getFinishedSpans().find((span) => span.kind === SpanKind.SERVER);
      expect(server?.spanContext().traceId).toBe(traceId);
      expect(server?.parentSpanContext?.spanId).toBe(parentId);
      expect(seen[0]?.traceId).toBe(traceId);
    } finally {
      await client.close();
    }
  });
});
