/**
 * A session manager's link to the rest of its fleet, present when the store has a bus: the
 * router for server-to-client requests and cancellations, the relay for resumed streams, and the
 * hooks by which a session's streams announce themselves. The session layer asks it three things
 * (route this POST, relay this resumption, tag this request) and otherwise knows nothing of fleets.
 */
import type { JSONRPCRequest } from '@modelcontextprotocol/server';
import type { FleetBus } from '../store/fleet-bus.js';
import type { StreamHooks } from '../store/scoped-event-store.js';
import type { SessionEventStore } from '../store/session-event-store.js';
import { type DeliverToSession, ServerRequestRouter } from './server-request-router.js';
import { streamMarker } from './stream-marker.js';
import { eventsChannel, relayStream, STANDALONE_STREAM_ID } from './stream-relay.js';

type RequestId = string | number;

export class FleetLink {
  private readonly router: ServerRequestRouter;

  /** `bus` and `events` already bounded by the store deadline. */
  constructor(
    private readonly bus: FleetBus,
    private readonly events: SessionEventStore | undefined,
    deliver: DeliverToSession,
    private readonly onError: (error: Error) => void,
  ) {
    this.router = new ServerRequestRouter(bus, deliver, onError);
    // Listening from the start: a cancellation may concern a call running here.
    this.router.ready().catch(onError);
  }

  /** What a client POSTed to a session, minus what went to other instances (`undefined`: nothing left). */
  route(sessionId: string, body: unknown): Promise<unknown> {
    return this.router.route(sessionId, body);
  }

  /** A request's stream resumed here, relayed from the store; `undefined` for the standalone GET stream. */
  async resume(sessionId: string, lastEventId: string, signal: AbortSignal): Promise<Response | undefined> {
    if (!this.events) return undefined;
    return relayStream({
      sessionId,
      lastEventId,
      events: this.events,
      bus: this.bus,
      router: this.router,
      signal,
      onError: this.onError,
    });
  }

  /** A request to the client, with an id that routes its answer back here (subscribed first). */
  async tag(request: JSONRPCRequest): Promise<JSONRPCRequest> {
    await this.router.ready();
    return this.router.tag(request);
  }

  /**
   * A session's stream hooks: a request stream's first stored event names this instance and the
   * stream's requests (`requestsOf`), and every stored event is announced on the bus. Both are
   * sent without waiting: the stream never waits for them, and Redis keeps their order.
   */
  streamHooks(
    sessionId: string,
    requestsOf: (streamId: string) => RequestId[] | undefined,
  ): StreamHooks | undefined {
    const { events, bus } = this;
    if (!events) return undefined;
    return {
      opened: (streamId) => {
        // `undefined`: not a client's stream (a session being rebuilt replays its handshake).
        const requestIds = requestsOf(streamId);
        if (!requestIds) return;
        const marker = streamMarker({ instanceId: this.router.instanceId, requestIds });
        events.storeEvent(sessionId, streamId, marker).catch(this.onError);
      },
      stored: (streamId) => {
        if (streamId === STANDALONE_STREAM_ID) return;
        bus.publish(eventsChannel(sessionId), streamId).catch(() => {});
      },
    };
  }

  close(): Promise<void> {
    return this.router.close();
  }
}
