/**
 * Opens, on a session's SDK transport, the SSE stream a POST of one request would have had, for a
 * request the transport did not see arrive (a fast answer, `fast-answer.ts`, that turned out to
 * need a stream). From then on the transport treats the request as its own: every message about
 * it (progress, logs, server-to-client requests, its response) is written to this stream with an
 * event id from the event store, a client that loses the stream resumes it with `Last-Event-ID`,
 * and `closeSSE` ends it. This mirrors `handlePostRequest` of `@modelcontextprotocol/server`
 * (2.4.x) and reads the transport's internals it needs through `PostStreamInternals`; the tests
 * of the fast answer's hand-over (`test/fast-answer.test.ts`) fail when the SDK changes them.
 */
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';

type RequestId = string | number;

interface StreamEntry {
  controller?: ReadableStreamDefaultController<Uint8Array>;
  encoder?: TextEncoder;
  cleanup: () => void;
}

/** What of the SDK transport opening a request's stream touches. */
interface PostStreamInternals {
  sessionId: string | undefined;
  _streamMapping: Map<string, StreamEntry>;
  _requestToStreamMapping: Map<RequestId, string>;
  _supportedProtocolVersions: readonly string[];
  writePrimingEvent(
    controller: ReadableStreamDefaultController<Uint8Array>,
    encoder: TextEncoder,
    streamId: string,
    protocolVersion: string,
  ): Promise<void>;
  startKeepAlive(
    controller: ReadableStreamDefaultController<Uint8Array>,
    encoder: TextEncoder,
  ): ReturnType<typeof setInterval> | undefined;
}

function internals(transport: WebStandardStreamableHTTPServerTransport): PostStreamInternals {
  return transport as unknown as PostStreamInternals;
}

/** The protocol versions the transport accepts in `MCP-Protocol-Version` (set by its server). */
export function supportedVersions(transport: WebStandardStreamableHTTPServerTransport): readonly string[] {
  return internals(transport)._supportedProtocolVersions;
}

/** True while the transport has a stream for `id` (a request it is answering itself). */
export function transportAnswers(
  transport: WebStandardStreamableHTTPServerTransport,
  id: RequestId,
): boolean {
  return internals(transport)._requestToStreamMapping.has(id);
}

/**
 * The SSE response for request `id`, registered with the transport as `handlePostRequest` does
 * (stream mapping, priming event, keep-alive), ready for the transport's `send`.
 */
export async function openPostStream(
  transport: WebStandardStreamableHTTPServerTransport,
  id: RequestId,
  protocolVersion: string,
): Promise<Response> {
  const sdk = internals(transport);
  const streamId = crypto.randomUUID();
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  const readable = new ReadableStream<Uint8Array>({
    start: (streamController) => {
      controller = streamController;
    },
    cancel: () => {
      if (keepAlive !== undefined) clearInterval(keepAlive);
      if (sdk._streamMapping.get(streamId)?.controller === controller) sdk._streamMapping.delete(streamId);
    },
  });
  sdk._streamMapping.set(streamId, {
    controller,
    encoder,
    cleanup: () => {
      if (keepAlive !== undefined) clearInterval(keepAlive);
      sdk._streamMapping.delete(streamId);
      try {
        controller.close();
      } catch {
        // Already closed.
      }
    },
  });
  sdk._requestToStreamMapping.set(id, streamId);
  try {
    await sdk.writePrimingEvent(controller, encoder, streamId, protocolVersion);
  } catch (error) {
    // No stream after all: the request's messages have nowhere to go (the caller answers the POST).
    if (sdk._requestToStreamMapping.get(id) === streamId) sdk._requestToStreamMapping.delete(id);
    sdk._streamMapping.get(streamId)?.cleanup();
    throw error;
  }
  if (sdk._streamMapping.get(streamId)?.controller === controller) {
    keepAlive = sdk.startKeepAlive(controller, encoder);
  }
  const headers: Record<string, string> = {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  };
  if (sdk.sessionId !== undefined) headers['mcp-session-id'] = sdk.sessionId;
  return new Response(readable, { status: 200, headers });
}
