/**
 * An `OAuthClientProvider` for the conformance suite's authorization-code scenarios. It keeps
 * everything in memory and plays the user: `redirectToAuthorization` opens the authorization
 * URL without following the redirect, and keeps the callback URL (with `code` and `state`) that
 * the suite's authorization server sends the browser to. `client.mjs` then hands that callback
 * to `finishOAuth`, as a web app's redirect route would.
 */
import { randomUUID } from 'node:crypto';

const REDIRECT_URL = 'http://127.0.0.1:3999/oauth/callback';
/** The suite's URL-based client id (SEP-991), used when the server supports client metadata documents. */
const CLIENT_METADATA_URL = 'https://conformance-test.local/client-metadata.json';

export class ConformanceOAuthProvider {
  #clientInformation;
  #tokens;
  #codeVerifier;
  #discoveryState;
  #state;
  #callback;

  /** @param {{ clientInformation?: { client_id: string, client_secret?: string } }} options */
  constructor(options = {}) {
    this.#clientInformation = options.clientInformation;
    this.clientMetadataUrl = CLIENT_METADATA_URL;
  }

  get redirectUrl() {
    return REDIRECT_URL;
  }

  get clientMetadata() {
    return {
      client_name: 'toolwire conformance client',
      redirect_uris: [REDIRECT_URL],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    };
  }

  state() {
    this.#state = randomUUID();
    return this.#state;
  }

  clientInformation() {
    return this.#clientInformation;
  }

  saveClientInformation(clientInformation) {
    this.#clientInformation = clientInformation;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens) {
    this.#tokens = tokens;
  }

  saveCodeVerifier(codeVerifier) {
    this.#codeVerifier = codeVerifier;
  }

  codeVerifier() {
    if (!this.#codeVerifier) throw new Error('no PKCE code verifier saved');
    return this.#codeVerifier;
  }

  saveDiscoveryState(state) {
    this.#discoveryState = state;
  }

  discoveryState() {
    return this.#discoveryState;
  }

  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discoveryState = undefined;
  }

  /** The "user" approves at once: follow the authorization URL up to the redirect back to us. */
  async redirectToAuthorization(authorizationUrl) {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    const location = response.headers.get('location');
    await response.body?.cancel();
    if (!location) throw new Error(`authorization endpoint answered ${response.status} without a redirect`);
    const callback = new URL(location, authorizationUrl);
    if (callback.searchParams.get('state') !== this.#state) throw new Error('state mismatch on the callback');
    this.#callback = callback;
  }

  /** The pending callback URL, once (the redirect route's job is done after one use). */
  takeCallback() {
    const callback = this.#callback;
    this.#callback = undefined;
    return callback;
  }

  /** The state we sent with the last authorization request. */
  get expectedState() {
    return this.#state;
  }
}
