/**
 * URLs as messages may show them: scheme, host and path only. Userinfo and query strings (where
 * API keys live) are dropped whole, whatever their values, so even a URL the configuration never
 * named (a redirect target, discovered metadata) reveals no credential. This complements the
 * secret set, which only knows the values it was told.
 */

/** `scheme://host[:port]/path`: no credentials, no query. */
export function safeUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(invalid url)';
  }
}

/** `text` with every `http(s)://` URL in it reduced to {@link safeUrl}. */
export function redactURLs(text: string): string {
  return text.replace(/\bhttps?:\/\/[^\s"'<>]+/g, (match) => safeUrl(match));
}
