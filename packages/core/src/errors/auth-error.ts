/**
 * `AUTH_FAILED`: a server or its authorization server refused our credentials, or no token could
 * be obtained. Messages name the server, the client id and the authorization server's own error
 * text, never a secret, an assertion or a token.
 */
import { hasMarker, ToolwireError } from './toolwire-error.js';

const marker = Symbol.for('toolwire.error.auth');

export interface AuthErrorOptions {
  message: string;
  server?: string | undefined;
  tool?: string | undefined;
  /**
   * The OAuth error code from the token endpoint (`invalid_client`, `invalid_scope`,
   * `unauthorized_client`, …), when it sent one.
   */
  oauthError?: string | undefined;
  cause?: unknown;
}

export class AuthError extends ToolwireError {
  readonly [marker] = true;
  override name = 'AuthError';
  /** The OAuth error code from the token endpoint, when there was one. */
  readonly oauthError: string | undefined;

  constructor({ message, server, tool, oauthError, cause }: AuthErrorOptions) {
    super({ code: 'AUTH_FAILED', message, server, tool, cause });
    this.oauthError = oauthError;
  }

  static override isInstance(error: unknown): error is AuthError {
    return hasMarker(error, marker);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), ...(this.oauthError === undefined ? {} : { oauthError: this.oauthError }) };
  }
}
