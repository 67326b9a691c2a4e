/** The event files our fixture servers append to: one JSON object per line. */
import { readFileSync } from 'node:fs';

export function parseJsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Every line written to `file` so far (none when the file does not exist yet). */
export function readJsonLinesSync<T>(file: string): T[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseJsonLines<T>(text);
}
