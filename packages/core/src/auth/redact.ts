/**
 * Last line of defence for messages built in the auth layer: any configured secret (client
 * secret, assertion, private key) or token that appears in text from an authorization server
 * is replaced before the text reaches an error, a log line or an event.
 */

export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
