/**
 * Where a consumed server's `notifications/message` goes: to `server:log` listeners and to the
 * call that caused it (its `onLog`), filtered by level and redacted; and which level a
 * 2026-07-28 call asks the server for.
 */
import type { LoggingMessageNotificationParams } from '@modelcontextprotocol/client';
import type { LogTarget } from '../connection/server-connection.js';
import type { TypedEmitter } from '../events/event-emitter.js';
import type { RegistryEvents, ServerLogLevel } from '../events/registry-events.js';
import type { Logger } from '../logging/logger.js';
import type { Redactor } from '../redaction/redactor.js';
import type { CallToolOptions } from './registry-types.js';
import { toServerLogEvent } from './server-logs.js';
import type { ServerSlot } from './server-slot.js';

/** What the relay needs from the registry. */
export interface ServerLogRelayOptions {
  emitter: TypedEmitter<RegistryEvents>;
  redactor: Redactor;
  logger: Logger;
  /** The registry-wide `serverLogLevel`; a server's own `logLevel` wins over it. */
  serverLogLevel: ServerLogLevel | undefined;
}

/** Relays servers' log messages to listeners and calls. */
export class ServerLogRelay {
  private readonly options: ServerLogRelayOptions;

  constructor(options: ServerLogRelayOptions) {
    this.options = options;
  }

  /** The minimum level configured for `slot`'s server, if any. */
  levelOf(slot: ServerSlot): ServerLogLevel | undefined {
    return slot.definition.logLevel ?? this.options.serverLogLevel;
  }

  /** A server's `notifications/message`: filtered by level, redacted and bounded, then emitted. */
  relay(
    slot: ServerSlot,
    sessionKey: string | undefined,
    message: LoggingMessageNotificationParams,
    call: LogTarget | undefined,
  ): void {
    const { emitter, redactor, logger } = this.options;
    if (emitter.listenerCount('server:log') === 0 && !call?.onLog) return;
    const event = toServerLogEvent(
      message,
      {
        server: slot.name,
        sessionKey,
        tool: call?.tool,
        callId: call?.callId,
        minimum: this.levelOf(slot),
      },
      redactor,
    );
    if (!event) return;
    emitter.emit('server:log', event, (error) =>
      logger.error(`a server:log listener threw: ${String(error)}`),
    );
    try {
      call?.onLog?.(event);
    } catch (error) {
      logger.error(`a call's onLog threw: ${String(error)}`);
    }
  }

  /**
   * The log level a 2026-07-28 call asks for: the configured one, else `'info'` while anyone
   * listens (such servers send nothing unless asked), else none.
   */
  callLevel(slot: ServerSlot, options: CallToolOptions): ServerLogLevel | undefined {
    const configured = this.levelOf(slot);
    if (configured) return configured;
    return options.onLog || this.options.emitter.listenerCount('server:log') > 0 ? 'info' : undefined;
  }
}
