/**
 * Reads `server.json` files named in `serverJson`. Node-only: the file system is imported on
 * call, so the root entry stays runtime-neutral (on other runtimes, pass documents as objects).
 */
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';
import { parseJSONC, syntaxIssues } from './parse-jsonc.js';

/** A `server.json` file's parsed content, or the issue that stopped it. */
export async function readServerJsonFile(
  file: string,
  path: (string | number)[],
  issues: ConfigIssue[],
): Promise<unknown> {
  let text: string;
  try {
    const { readFile } = await import('#node-files');
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'file not found'
        : String((error as Error).message);
    issues.push({ path: formatPath(path), message: `cannot read server.json "${file}": ${reason}` });
    return undefined;
  }
  const parsed = parseJSONC(text);
  for (const issue of syntaxIssues(parsed.errors, file)) {
    issues.push({ ...issue, path: formatPath(path), message: `server.json is ${issue.message}` });
  }
  return parsed.value;
}
