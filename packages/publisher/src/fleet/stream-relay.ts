/**
 * Resuming a request's SSE stream anywhere in a fleet. A client whose response stream was cut
 * reconnects with `GET` + `Last-Event-ID`, and the load balancer may send that to any instance,
 * while the call goes on running where it started. The instance that receives the GET relays
 * the stream from the shared event store: the events after the client's last one, then each new
 * one as the instance running the call stores it (a notice on the bus says when), until the
 * call's response has gone out. Every event is sent once, in order, under its stored id, so
 * nothing is lost or repeated however often the client reconnects, and wherever.
 *
 * If the instance running the call dies first (it stops answering on the bus), the relay ends the
 * call for the client with a JSON-RPC error, so the client sees a prompt failure, not a hang.
 */
import {
  isJSONRPCErrorResponse,
  isJSONRPCResultResponse,
  type JSONRPCErrorResponse,
  type JSONRPCMessage,
} from '@modelcontextprotocol/server';
import type { FleetBus } from '../store/fleet-bus.js';
import { parseEventId, type SessionEventStore, type StoredEvent } from '../store/session-event-store.js';
import type { ServerRequestRouter } from './server-request-router.js';
import { readStreamMarker, type StreamMarker } from './stream-marker.js';

/** The SDK's id of a session's standalone GET stream (resumed by the session's own transport). */
export const STANDALONE_STREAM_ID = '_GET_stream';

/** JSON-RPC error a client gets for a call whose instance went away mid-call. */
export const INSTANCE_LOST_CODE = -32603;
export const INSTANCE_LOST_MESSAGE =
  'The publisher instance running this request went away before answering; the request may be retried.';

/** How often a relay waiting for events checks that the instance running the call is still there. */
const LIVENESS_INTERVAL_MS = 1_000;
/** An SSE comment this often keeps idle connections (and proxies) open. */
const KEEP_ALIVE_EVERY = 15;

export const eventsChannel = (sessionId: string) => `events:${sessionId}`;

export interface StreamRelayOptions {
  sessionId: string;
  lastEventId: string;
  events: SessionEventStore;
  bus: FleetBus;
  router: ServerRequestRouter;
  /** Aborts when the client goes away or the session closes here. */
  signal: AbortSignal;
  onError: (error: Error) => void;
}

/**
 * The relayed stream's response; `undefined` for the standalone GET stream (its replay stays
 * with the session's transport). Store failures while starting reject (the caller answers 503).
 */
export async function relayStream(options: StreamRelayOptions): Promise<Response | undefined> {
  const { sessionId, lastEventId, events, bus, router, signal } = options;
  const parsed = parseEventId(sessionId, lastEventId);
  if (!parsed) return invalidEventId();
  if (parsed.streamId === STANDALONE_STREAM_ID) return undefined;
  const streamId = parsed.streamId;
  const anchor = parsed.sequence === 0 ? undefined : lastEventId;

  let wake: (() => void) | undefined;
  let dirty = true;
  const unsubscribe = await bus.subscribe(eventsChannel(sessionId), (noticed) => {
    if (noticed !== streamId) return;
    dirty = true;
    wake?.();
  });
  let state: RelayState;
  try {
    // Subscribed first: an event stored from now on is either read below or noticed.
    const all = await events.eventsAfter(sessionId, streamId, undefined);
    const after = anchor === undefined ? all : await events.eventsAfter(sessionId, streamId, anchor);
    if (!all || !after) {
      await unsubscribe();
      return invalidEventId();
    }
    state = startState(all, after);
  } catch (error) {
    await unsubscribe();
    throw error;
  }

  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    signal.removeEventListener('abort', stop);
    wake?.();
    void unsubscribe().catch(() => {});
    try {
      controller.close();
    } catch {}
  };
  const write = (text: string) => {
    if (!closed) controller.enqueue(encoder.encode(text));
  };
  const writeEvent = (event: StoredEvent) =>
    write(`event: message\nid: ${event.id}\ndata: ${JSON.stringify(event.message)}\n\n`);

  const run = async () => {
    let ticks = 0;
    let last = state.last;
    // Something at once, so the response (and its headers) reach the client before any event.
    write(': relayed\n\n');
    for (const event of state.pending) writeEvent(event);
    while (!closed && !state.answered) {
      if (dirty) {
        dirty = false;
        const fresh = await events.eventsAfter(sessionId, streamId, last);
        if (fresh === undefined) break; // Dropped (byte or age limit): what followed may be incomplete.
        for (const event of fresh) {
          last = event.id;
          const marker = readStreamMarker(event.message);
          if (marker) {
            state.marker = marker;
            continue;
          }
          writeEvent(event);
          if (isResponse(event.message)) state.answered = true;
        }
        continue;
      }
      const ticked = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), LIVENESS_INTERVAL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      wake = undefined;
      if (!ticked || closed) continue;
      if (++ticks % KEEP_ALIVE_EVERY === 0) write(': keep-alive\n\n');
      if (state.marker && (await router.isAlive(state.marker.instanceId)) === false) {
        // One last read: the answer may have been stored just before the instance went.
        dirty = true;
        const fresh = await events.eventsAfter(sessionId, streamId, last);
        if (fresh?.some((event) => isResponse(event.message))) continue;
        for (const id of state.marker.requestIds) {
          const lost: JSONRPCErrorResponse = {
            jsonrpc: '2.0',
            id,
            error: { code: INSTANCE_LOST_CODE, message: INSTANCE_LOST_MESSAGE },
          };
          // Kept, so a later resumption of this stream finds it answered.
          const eventId = await events.storeEvent(sessionId, streamId, lost);
          writeEvent({ id: eventId, message: lost });
        }
        state.answered = true;
      }
    }
  };

  const body = new ReadableStream<Uint8Array>({
    start(streamController) {
      controller = streamController;
    },
    cancel: stop,
  });
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });
  void run()
    .catch((error: unknown) => options.onError(error instanceof Error ? error : new Error(String(error))))
    .finally(stop);
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      'mcp-session-id': sessionId,
    },
  });
}

interface RelayState {
  marker: StreamMarker | undefined;
  /** Events after the client's last one, still to send. */
  pending: StoredEvent[];
  /** The last event read (the client's own when nothing followed it). */
  last: string | undefined;
  /** The stream's response is sent (or had been, before the client's last event): nothing follows. */
  answered: boolean;
}

function startState(all: StoredEvent[], after: StoredEvent[]): RelayState {
  let marker: StreamMarker | undefined;
  for (const event of all) marker = readStreamMarker(event.message) ?? marker;
  const pendingIds = new Set(after.map((event) => event.id));
  const before = all.filter((event) => !pendingIds.has(event.id));
  const pending: StoredEvent[] = [];
  let answered = before.some((event) => isResponse(event.message));
  for (const event of after) {
    if (answered) break;
    if (readStreamMarker(event.message)) continue;
    pending.push(event);
    if (isResponse(event.message)) answered = true;
  }
  const last = after.at(-1)?.id ?? all.at(-1)?.id;
  return { marker, pending, last, answered };
}

function isResponse(message: JSONRPCMessage): boolean {
  return isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message);
}

function invalidEventId(): Response {
  return Response.json(
    { jsonrpc: '2.0', error: { code: -32000, message: 'Invalid event ID format' }, id: null },
    { status: 400 },
  );
}
