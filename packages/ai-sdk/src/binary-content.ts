/**
 * What tool results, prompt messages and resource parts share when MCP hands over bytes: whether
 * a media type is text, decoding base64 text, and a file name from a URI.
 */

/** Media types whose bytes read better (and work with more providers) as text. */
export function isTextual(mediaType: string): boolean {
  return /^text\/|^application\/(json|xml|yaml|x-yaml)\b|\+(json|xml)\b/.test(mediaType);
}

/** Decodes base64 UTF-8 text; `undefined` when it is not valid base64 or not valid UTF-8. */
export function decodeUTF8(base64: string): string | undefined {
  try {
    const binary = atob(base64);
    const bytes = Uint8Array.from(binary, (character) => character.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The last path segment of a URI, without query or fragment. */
export function fileName(uri: string): string | undefined {
  const last = uri.split(/[/\\]/).pop();
  return last ? last.split(/[?#]/)[0] || undefined : undefined;
}
