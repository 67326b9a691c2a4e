/** Small text helpers for readable console tables. */

export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** First line (or sentence) of `text`, cut to `width` characters. */
export function summary(text: string, width: number): string {
  const first = text.split('\n')[0]?.trim() ?? '';
  return first.length <= width ? first : `${first.slice(0, width - 1)}…`;
}

export function milliseconds(value: number | undefined): string {
  return value === undefined ? '-' : `${Math.round(value)} ms`;
}
