/**
 * Caps text that comes from outside the publisher's control (thrown error messages, validator
 * messages, argument paths) before it goes into a response, so no input can make a reply large.
 */

/** Returns `text` unchanged when it fits in `maxChars`, else its start and how much was cut. */
export function limitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars;
  // Never split a surrogate pair: a lone high surrogate is not valid in the JSON we send.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}… (truncated, ${(text.length - end).toLocaleString('en-US')} more characters)`;
}
