/**
 * Text a peer can inflate (a tool's error text, an enum, a property name) is cut to a bound
 * before it reaches a message, a stat or an event: one helper, so every output cuts the same way.
 */

/**
 * `text` when it fits in `maxChars`, else its beginning followed by `… (N more characters)`,
 * `maxChars` in all. The result is a fresh string: a slice would keep the whole original alive
 * (engines share the parent's memory), so a 5 MB error text would stay in memory via its excerpt.
 */
export function excerpt(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let kept = maxChars;
  let suffix = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    suffix = `… (${text.length - kept} more characters)`;
    kept = Math.max(0, maxChars - suffix.length);
  }
  // Never split a surrogate pair.
  const code = text.charCodeAt(kept - 1);
  if (kept > 0 && code >= 0xd800 && code <= 0xdbff) kept--;
  return detach(`${text.slice(0, kept)}${suffix}`);
}

/**
 * A short, readable rendering of a JSON value for a message (`"C"`, `42`, `null`, `[3 items]`),
 * never longer than `maxChars` and never costing more than the part it shows.
 */
export function previewValue(value: unknown, maxChars: number): string {
  if (typeof value === 'string') return JSON.stringify(excerpt(value, maxChars - 2));
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length === 1 ? '[1 item]' : `[${value.length} items]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    return keys.length === 1 ? '{1 property}' : `{${keys.length} properties}`;
  }
  return excerpt(String(value), maxChars);
}

/** A copy of `text` that shares no memory with the string it was cut from. */
function detach(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}
