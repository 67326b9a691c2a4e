/**
 * Server-to-client requests across a fleet (2025 era). A tool's elicitation or sampling request
 * goes out on the stream of the instance running the tool, but the client's answer is a new
 * POST that the load balancer may send to any instance. So every request an instance sends gets
 * an id naming the instance (`toolwire:<instance>:<original id>`; clients echo ids verbatim),
 * and an answer arriving elsewhere is published on the asking instance's channel, which hands it
 * to its copy of the session under the original id. A client's `notifications/cancelled` goes to
 * every instance, since the request it cancels may run on any of them. The caller has checked
 * that the POST comes from the session's owner before anything is routed.
 */
import {
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type JSONRPCRequest,
} from '@modelcontextprotocol/server';
import type { FleetBus } from '../store/fleet-bus.js';

type RequestId = string | number;

/** What crosses the bus: a message for a session, and the instance that sent it. */
interface Envelope {
  from: string;
  sessionId: string;
  message: JSONRPCMessage;
}

const TAG = 'toolwire:';
const instanceChannel = (instanceId: string) => `instance:${instanceId}`;
const CANCEL_CHANNEL = 'cancel';

/** Hands a routed message to this instance's copy of the session, if it has one. */
export type DeliverToSession = (sessionId: string, message: JSONRPCMessage) => void;

export class ServerRequestRouter {
  /** This instance, as its tagged request ids and its channel name it. */
  readonly instanceId = crypto.randomUUID().replace(/-/g, '').slice(0, 12);
  private started: Promise<void> | undefined;
  private readonly unsubscribe: (() => Promise<void>)[] = [];

  constructor(
    private readonly bus: FleetBus,
    private readonly deliver: DeliverToSession,
    private readonly onError: (error: Error) => void,
  ) {}

  /**
   * Subscribes to this instance's channel and the fleet's cancellations (once; a failed attempt,
   * such as Redis being down at start-up, is tried again by the next caller).
   */
  ready(): Promise<void> {
    this.started ??= (async () => {
      const listen = (message: string) => this.received(message);
      if (this.unsubscribe.length === 0) {
        this.unsubscribe.push(await this.bus.subscribe(instanceChannel(this.instanceId), listen));
      }
      if (this.unsubscribe.length === 1) {
        this.unsubscribe.push(await this.bus.subscribe(CANCEL_CHANNEL, listen));
      }
    })().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  /** The request with an id that names this instance. */
  tag(request: JSONRPCRequest): JSONRPCRequest {
    const original = typeof request.id === 'number' ? `n${request.id}` : `s${request.id}`;
    return { ...request, id: `${TAG}${this.instanceId}:${original}` };
  }

  /**
   * Routes what a client POSTed to a session: answers to another instance's requests go to it,
   * cancellations to every other instance too. Returns what this instance's session should still
   * get (its own answers under their original ids), or `undefined` when nothing is left.
   */
  async route(sessionId: string, body: unknown): Promise<unknown> {
    const batch = Array.isArray(body);
    const messages = (batch ? body : [body]) as JSONRPCMessage[];
    const local: JSONRPCMessage[] = [];
    for (const message of messages) {
      const answer = answerOf(message);
      if (answer) {
        const target = untag(answer.id);
        if (target && target.instanceId !== this.instanceId) {
          await this.send(instanceChannel(target.instanceId), sessionId, message);
          continue;
        }
        local.push(target ? ({ ...message, id: target.id } as JSONRPCMessage) : message);
        continue;
      }
      if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
        await this.send(CANCEL_CHANNEL, sessionId, message);
      }
      local.push(message);
    }
    if (local.length === 0) return undefined;
    return batch ? local : local[0];
  }

  async close(): Promise<void> {
    const unsubscribe = this.unsubscribe.splice(0);
    await Promise.allSettled(unsubscribe.map((stop) => stop()));
  }

  /**
   * Whether `instanceId` still listens on the bus: `false` once no subscriber received a ping on
   * its channel (the process is gone), `undefined` when the bus cannot tell.
   */
  async isAlive(instanceId: string): Promise<boolean | undefined> {
    const receivers = await this.bus.publish(
      instanceChannel(instanceId),
      JSON.stringify({ from: this.instanceId }),
    );
    return receivers === undefined ? undefined : receivers > 0;
  }

  private async send(channel: string, sessionId: string, message: JSONRPCMessage): Promise<void> {
    await this.ready();
    const envelope: Envelope = { from: this.instanceId, sessionId, message };
    await this.bus.publish(channel, JSON.stringify(envelope));
  }

  private received(raw: string): void {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(raw) as Envelope;
    } catch {
      this.onError(new Error('The fleet bus carried a message that is not JSON; ignored.'));
      return;
    }
    if (envelope.from === this.instanceId || typeof envelope.sessionId !== 'string') return;
    const answer = answerOf(envelope.message);
    if (answer) {
      const target = untag(answer.id);
      if (target?.instanceId !== this.instanceId) return;
      this.deliver(envelope.sessionId, { ...envelope.message, id: target.id } as JSONRPCMessage);
      return;
    }
    this.deliver(envelope.sessionId, envelope.message);
  }
}

function answerOf(message: JSONRPCMessage): { id: RequestId } | undefined {
  if (isJSONRPCResultResponse(message) || isJSONRPCErrorResponse(message)) {
    const { id } = message as { id?: RequestId | null };
    return id === null || id === undefined ? undefined : { id };
  }
  return undefined;
}

/** The instance and original id in a tagged id; `undefined` for an id this router never made. */
function untag(id: RequestId): { instanceId: string; id: RequestId } | undefined {
  if (typeof id !== 'string' || !id.startsWith(TAG)) return undefined;
  const match = /^toolwire:([0-9a-f]{12}):([ns])(.*)$/s.exec(id);
  if (!match) return undefined;
  const [, instanceId, kind, original] = match as unknown as [string, string, string, string];
  if (kind === 'n') {
    const number = Number(original);
    return Number.isSafeInteger(number) ? { instanceId, id: number } : undefined;
  }
  return { instanceId, id: original };
}
