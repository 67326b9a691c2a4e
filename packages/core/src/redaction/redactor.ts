/**
 * The one redaction path of `@toolwire/core`. Everything that leaves a registry (error messages
 * and `cause` chains, events, `servers()`, `stats()`, log lines, schema cache entries, the
 * catalogue) goes through one `Redactor`, which replaces every form of every secret its
 * `SecretSet` knows.
 *
 * Redact before you truncate: a text cut first could end in the first half of a secret, which no
 * matcher can recognise any more; a text redacted first can only lose part of `[redacted]`.
 */
import { ToolwireError } from '../errors/toolwire-error.js';
import type { Logger } from '../logging/logger.js';
import { excerpt } from '../util/bounded-text.js';
import { isRedactedCopy, redactedCopy } from './redacted-error.js';
import { type RedactOptions, SecretSet } from './secret-set.js';

/**
 * The longest message (and, larger, stack) an error keeps on its way out: a server's error text
 * is its own to size, and a 5 MB JSON-RPC error message must not reach a model, a log or
 * `servers()` whole. Cut after redacting, so no half-secret survives the cut.
 */
export const MAX_ERROR_MESSAGE_CHARS = 8_000;
const MAX_ERROR_STACK_CHARS = 16_000;

export class Redactor {
  readonly secrets: SecretSet;

  constructor(secrets: SecretSet = new SecretSet()) {
    this.secrets = secrets;
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  text(text: string): string {
    return this.secrets.redact(text);
  }

  /**
   * A deep copy of `value` with secrets replaced in every string, or `value` itself when nothing
   * in it needed replacing (so unchanged catalogues keep their identity). Errors are redacted as
   * by {@link error}; class instances other than errors and arrays/plain objects are kept as is.
   */
  value<T>(value: T): T {
    return this.walk(value, new WeakSet(), {}) as T;
  }

  /**
   * What a server published (tools, prompts, their schemas and descriptions, instructions), with
   * credentials replaced but not incidental values (see `RedactOptions.credentialsOnly`): a tool
   * whose schema names the directory it was started with must keep doing so.
   */
  published<T>(value: T): T {
    return this.walk(value, new WeakSet(), { credentialsOnly: true }) as T;
  }

  /**
   * Makes an error safe to show. A `ToolwireError` is redacted in place (message, stack, its own
   * fields) so every holder of it sees the safe version, and its `cause` chain is rebuilt: foreign
   * errors (SDK, `fetch`, Node system errors with `spawnargs`, `path`, …) are replaced by redacted
   * copies that keep only name, code, status and a redacted message and stack. Any other error
   * becomes such a copy; other values are redacted like {@link value}.
   */
  error<T>(error: T): T {
    return this.redactError(error, new WeakSet()) as T;
  }

  /**
   * An event on its way to listeners: its `error` redacted as by {@link error} and its `message`
   * as text. Other fields are names (server, tool, session key), counts and statuses: identifiers
   * the user chose or the server published, kept as they are so events still match the catalogue.
   */
  event<T>(event: T): T {
    if (typeof event !== 'object' || event === null) return event;
    const fields = event as Record<string, unknown>;
    if (fields.error === undefined && typeof fields.message !== 'string') return event;
    const safe = { ...fields };
    if (safe.error !== undefined) safe.error = this.error(safe.error);
    if (typeof safe.message === 'string') safe.message = this.text(safe.message);
    return safe as T;
  }

  /**
   * A logger that redacts every message before handing it to `logger`; the context (the server's
   * name) is passed on as it is, like event names (see {@link event}).
   */
  logger(logger: Logger): Logger {
    const forward =
      (level: keyof Logger) =>
      (message: string, context?: Record<string, unknown>): void => {
        const safeMessage = this.text(String(message));
        if (context === undefined) logger[level](safeMessage);
        else logger[level](safeMessage, this.event(context));
      };
    return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
  }

  private redactError(error: unknown, seen: WeakSet<object>): unknown {
    if (typeof error !== 'object' || error === null) return this.walk(error, seen, {});
    if (ToolwireError.isInstance(error)) {
      if (seen.has(error)) return error;
      seen.add(error);
      this.redactInPlace(error, seen);
      return error;
    }
    if (isRedactedCopy(error)) {
      // Already a copy: only secrets learned since need replacing.
      if (seen.has(error)) return error;
      seen.add(error);
      const copy = error as Error;
      copy.message = this.errorText(copy.message, MAX_ERROR_MESSAGE_CHARS);
      if (typeof copy.stack === 'string') copy.stack = this.errorText(copy.stack, MAX_ERROR_STACK_CHARS);
      if (copy.cause !== undefined) copy.cause = this.redactError(copy.cause, seen);
      return copy;
    }
    if (error instanceof Error || isErrorLike(error)) {
      return redactedCopy(
        error,
        (text) => this.errorText(text, MAX_ERROR_STACK_CHARS),
        (cause) => this.redactError(cause, seen),
      );
    }
    return this.walk(error, seen, {});
  }

  private redactInPlace(error: ToolwireError, seen: WeakSet<object>): void {
    const target = error as unknown as Record<string, unknown>;
    error.message = this.errorText(error.message, MAX_ERROR_MESSAGE_CHARS);
    if (typeof error.stack === 'string') error.stack = this.errorText(error.stack, MAX_ERROR_STACK_CHARS);
    for (const key of Object.keys(target)) {
      if (key === 'cause' || key === 'message' || key === 'stack') continue;
      const current = target[key];
      const safe = this.walk(current, seen, {});
      if (safe !== current) target[key] = safe;
    }
    if (error.cause !== undefined) error.cause = this.redactError(error.cause, seen);
  }

  private errorText(text: string, maxChars: number): string {
    return excerpt(this.text(text), maxChars);
  }

  private walk(value: unknown, seen: WeakSet<object>, options: RedactOptions): unknown {
    if (typeof value === 'string') return this.secrets.redact(value, options);
    if (typeof value !== 'object' || value === null) return value;
    if (ToolwireError.isInstance(value) || value instanceof Error) return this.redactError(value, seen);
    if (seen.has(value)) return value;
    if (Array.isArray(value)) {
      seen.add(value);
      let changed = false;
      const items = value.map((item) => {
        const safe = this.walk(item, seen, options);
        if (safe !== item) changed = true;
        return safe;
      });
      return changed ? items : value;
    }
    if (!isPlainObject(value)) return value;
    seen.add(value);
    let changed = false;
    const entries = Object.entries(value).map(([key, item]) => {
      const safe = this.walk(item, seen, options);
      if (safe !== item) changed = true;
      return [key, safe] as const;
    });
    return changed ? Object.fromEntries(entries) : value;
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isErrorLike(value: object): boolean {
  const candidate = value as { message?: unknown; stack?: unknown };
  return typeof candidate.message === 'string' && typeof candidate.stack === 'string';
}
