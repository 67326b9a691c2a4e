/**
 * `@toolwire/core/otel` with the OpenTelemetry SDK's in-memory span exporter and a metric reader,
 * against the real HTTP fixture (which records each request's `traceparent`): connect and call
 * spans with the MCP semantic-convention attributes, the call span as the child of the caller's
 * span, its context arriving at the server, errors as `error.type`, and the duration and error
 * metrics. Without a registered SDK nothing is sent and calls work as before.
 */
import { join } from 'node:path';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  type HistogramMetricData,
  MeterProvider,
  MetricReader,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, silentLogger } from '../src/index.js';
import { createOpenTelemetry } from '../src/otel.js';
import { temporaryDirectory } from './support/fault-servers.js';
import { type HttpFixtureServer, readEvents, startHttpFixture } from './support/fixture-servers.js';
import { startLoopbackHttp } from './support/loopback-http.js';

/** Collects on demand (the SDK's pull side, without an exporter). */
class TestMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const directory = temporaryDirectory('otel');
const eventsFile = join(directory.path, 'events.jsonl');
let server: HttpFixtureServer;

beforeAll(async () => {
  server = await startHttpFixture({ name: 'fx', eventsFile });
});
afterAll(async () => {
  context.disable();
  propagation.disable();
  await server?.stop();
  directory.cleanup();
});

async function toolCalls() {
  return (await readEvents(eventsFile)).filter((event) => event.rpc?.includes('tools/call'));
}

async function toolCallHeaders() {
  return (await toolCalls()).map((event) => event.headers);
}

describe('OpenTelemetry for a registry', () => {
  it('costs nothing visible without a registered SDK: no trace context is sent', async () => {
    await using registry = await createRegistry({
      servers: { fx: { url: server.url } },
      cache: 'memory',
      logger: silentLogger,
      telemetry: createOpenTelemetry(),
    });
    const result = await registry.callTool('fx__echo', { message: 'untraced' });
    expect(result.text).toBe('fx: untraced');
    expect((await toolCallHeaders()).every((headers) => headers?.traceparent === undefined)).toBe(true);
  });

  it('records connect and call spans, propagates traceparent, and counts durations and errors', async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const reader = new TestMetricReader();
    const meterProvider = new MeterProvider({ readers: [reader] });

    await using registry = await createRegistry({
      servers: { fx: { url: server.url } },
      cache: 'memory',
      logger: silentLogger,
      telemetry: createOpenTelemetry({ tracerProvider, meterProvider }),
    });
    const port = Number(new URL(server.url).port);
    const connect = exporter.getFinishedSpans().find((span) => span.name === 'initialize fx');
    expect(connect?.attributes).toMatchObject({
      'mcp.method.name': 'initialize',
      'toolwire.server.name': 'fx',
      'server.address': '127.0.0.1',
      'server.port': port,
    });
    // The listing at connect is a span of its own, and so is every later one (refresh, list_changed).
    const lists = () => exporter.getFinishedSpans().filter((span) => span.name === 'tools/list fx');
    expect(lists()).toHaveLength(1);
    expect(lists()[0]?.attributes).toMatchObject({
      'mcp.method.name': 'tools/list',
      'toolwire.server.name': 'fx',
    });
    await registry.refresh('fx');
    expect(lists()).toHaveLength(2);

    const parent = tracerProvider.getTracer('test').startSpan('agent step');
    const before = (await toolCallHeaders()).length;
    const result = await context.with(trace.setSpan(context.active(), parent), () =>
      registry.callTool('fx__echo', { message: 'traced' }),
    );
    parent.end();
    expect(result.text).toBe('fx: traced');
    const call = exporter.getFinishedSpans().find((span) => span.name === 'tools/call echo');
    expect(call).toBeDefined();
    expect(call?.kind).toBe(SpanKind.CLIENT);
    expect(call?.parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
    expect(call?.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(call?.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'echo',
      'toolwire.tool.name': 'fx__echo',
      'toolwire.server.name': 'fx',
      'network.transport': 'tcp',
      'mcp.protocol.version': expect.any(String),
    });
    expect(call?.status.code).not.toBe(SpanStatusCode.ERROR);
    const [sent] = (await toolCallHeaders()).slice(before);
    const { traceId, spanId } = call?.spanContext() ?? {};
    expect(sent?.traceparent).toBe(`00-${traceId}-${spanId}-01`);
    // SEP-414: the same context in params._meta, the carrier every transport has.
    const [sentCall] = (await toolCalls()).slice(before);
    expect(sentCall?.meta).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });

    // A tool-reported failure and a refused call: error.type, status, and the error counter.
    await registry.callTool('fx__fail', { reason: 'nope' });
    await expect(registry.callTool('fx__echo', { message: 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENTS',
    });
    const failed = exporter.getFinishedSpans().filter((span) => span.status.code === SpanStatusCode.ERROR);
    expect(failed.map((span) => [span.name, span.attributes['error.type']])).toEqual([
      ['tools/call fail', 'tool_error'],
      ['tools/call echo', 'INVALID_ARGUMENTS'],
    ]);

    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const duration = all.find((metric) => metric.descriptor.name === 'mcp.client.operation.duration') as
      | HistogramMetricData
      | undefined;
    expect(duration?.descriptor.unit).toBe('s');
    const counts = duration?.dataPoints.map((point) => [point.attributes['error.type'], point.value.count]);
    expect(counts).toEqual(
      expect.arrayContaining([
        [undefined, 1],
        ['tool_error', 1],
        ['INVALID_ARGUMENTS', 1],
      ]),
    );
    const errors = all.find((metric) => metric.descriptor.name === 'toolwire.client.tool.errors') as
      | SumMetricData
      | undefined;
    expect(errors?.dataPoints.map((point) => [point.attributes['error.type'], point.value])).toEqual(
      expect.arrayContaining([
        ['tool_error', 1],
        ['INVALID_ARGUMENTS', 1],
      ]),
    );
    await meterProvider.shutdown();
    await tracerProvider.shutdown();
  });

  it('records a span per token request, without its secrets', async () => {
    const secret = 'otel-client-secret-7d2a91';
    const tokens = await startLoopbackHttp((_request, response) => {
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          JSON.stringify({ access_token: 'otel-access-token-5f0c2e', token_type: 'Bearer', expires_in: 600 }),
        );
    });
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    try {
      await using registry = await createRegistry({
        servers: {
          fx: {
            url: server.url,
            auth: {
              type: 'client_credentials',
              clientId: 'agent',
              clientSecret: secret,
              tokenUrl: `${tokens.origin}/token`,
            },
          },
        },
        cache: 'memory',
        logger: silentLogger,
        telemetry: createOpenTelemetry({ tracerProvider }),
      });
      expect(registry.server('fx')?.status).toBe('active');
      const token = exporter.getFinishedSpans().find((span) => span.name === 'token client_credentials');
      expect(token?.kind).toBe(SpanKind.CLIENT);
      expect(token?.attributes).toMatchObject({
        'toolwire.oauth.grant_type': 'client_credentials',
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'server.address': '127.0.0.1',
      });
      expect(tokens.requests.filter((request) => request.path === '/token')).toHaveLength(1);
      expect(JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes))).not.toContain(
        secret,
      );
    } finally {
      await tracerProvider.shutdown();
      await tokens.close();
    }
  });
});
