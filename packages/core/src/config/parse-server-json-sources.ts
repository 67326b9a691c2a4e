/**
 * The servers of `serverJson`: documents, files read by `prepareServersConfig()`, or either with
 * options. Each document is one server; its problems are that server's when its name is known
 * (from `name` or the document), and the whole configuration's when it is not.
 */
import type { z } from 'zod';
import type { ConfigIssue } from '../errors/config-error.js';
import { formatPath } from '../util/format-path.js';
import { serverJsonSourceSchema } from './config-schema.js';
import { type EnvSource, expandEnv, isPlainObject } from './expand-env.js';
import {
  type EntryDefaults,
  type EntryProblems,
  emptyProblems,
  parseEntry,
  pushZodIssues,
} from './parse-server-entry.js';
import type { ServerDefinition } from './server-config.js';
import { documentsIn, serverJsonServerName, serverJsonToEntry } from './server-json.js';
import { findUnknownKeys, unknownKeyError } from './unknown-keys.js';

/** What one source or document produced: a server (named, maybe failed), or problems without a name. */
export type RecordEntry = (
  name: string | undefined,
  path: (string | number)[],
  problems: EntryProblems,
  definition: ServerDefinition | undefined,
  /** The entry as written (expanded), to read `disabled` from when it has no definition. */
  raw?: unknown,
) => void;

const sourceKeys = Object.keys(serverJsonSourceSchema.shape);

export function parseServerJsonSources(
  raw: unknown,
  env: EnvSource,
  defaults: EntryDefaults,
  claim: (path: string) => ConfigIssue[],
  record: RecordEntry,
  substituted: Set<string>,
): void {
  if (raw === undefined) return;
  const single = !Array.isArray(raw);
  const sources: unknown[] = single ? [raw] : raw;
  sources.forEach((source, index) => {
    const path: (string | number)[] = single ? ['serverJson'] : ['serverJson', index];
    const problems = emptyProblems();
    // Problems reading its file, found by prepareServersConfig().
    problems.issues.push(...claim(formatPath(path)));
    const givenName =
      isPlainObject(source) && typeof source.name === 'string' && source.name !== ''
        ? source.name
        : undefined;
    const value = readSource(source, index, path, env, defaults, problems, substituted);
    if (value === undefined) {
      record(givenName, path, problems, undefined, source);
      return;
    }

    const { options, content, origin } = value;
    const { path: _file, document: _document, name, prefer, inputs, ...extra } = options;
    const documents = documentsIn(content, path);
    if (name !== undefined && documents.length > 1) {
      problems.issues.push({
        path: formatPath([...path, 'name']),
        message: `"name" names one server, but this source lists ${documents.length}`,
      });
    }
    if (problems.issues.length > 0 && documents.length !== 1) {
      // Problems of the source itself (its options) concern all of its servers: not one server's.
      record(undefined, path, problems, undefined);
      return;
    }
    for (const { document, path: documentPath } of documents) {
      const own = documents.length === 1 ? problems : emptyProblems();
      const made = serverJsonToEntry(
        document,
        documentPath,
        { name, prefer, inputs, extra, env, ...(origin === undefined ? {} : { origin }) },
        own.issues,
      );
      const definition = made ? parseEntry(made.name, made.entry, made.path, defaults, own) : undefined;
      record(
        made?.name ?? serverJsonServerName(document, name),
        made?.path ?? documentPath,
        own,
        definition,
        options,
      );
    }
  });
}

/** A source's document (or loaded file) and options, or `undefined` with the problems said. */
function readSource(
  source: unknown,
  index: number,
  path: (string | number)[],
  env: EnvSource,
  defaults: EntryDefaults,
  problems: EntryProblems,
  substituted: Set<string>,
):
  | { content: unknown; origin: string | undefined; options: z.output<typeof serverJsonSourceSchema> }
  | undefined {
  const file = defaults.providers.prepared?.serverJsonFiles.get(index);
  if (isPlainObject(source) && !('path' in source) && !('document' in source)) {
    return { content: source, origin: undefined, options: {} };
  }
  if (typeof source !== 'string' && !isPlainObject(source)) {
    problems.issues.push({
      path: formatPath(path),
      message:
        'expected a server.json document, a file path, or { path | document, name?, prefer?, inputs? }',
    });
    return undefined;
  }
  let options: z.output<typeof serverJsonSourceSchema> = {};
  if (isPlainObject(source)) {
    const { document, ...rest } = source;
    const unknown = findUnknownKeys(source, sourceKeys, path);
    problems.issues.push(...unknown.map((key) => unknownKeyError(key, sourceKeys)));
    const checked = serverJsonSourceSchema.safeParse({
      ...(expandEnv(rest, env, problems.issues, path, substituted) as object),
      document,
    });
    if (!checked.success) {
      pushZodIssues(problems.issues, path, checked.error, new Set([formatPath(path)]));
      return undefined;
    }
    if (unknown.length > 0) return undefined;
    options = checked.data;
    if (options.path !== undefined && options.document !== undefined) {
      problems.issues.push({ path: formatPath(path), message: 'give either "path" or "document", not both' });
      return undefined;
    }
  }
  if (options.document !== undefined) return { content: options.document, origin: undefined, options };
  if (file) return { content: file.value, origin: file.origin, options };
  if (!defaults.providers.prepared) {
    problems.issues.push({
      path: formatPath(path),
      message:
        'server.json files are read by createRegistry() and loadConfig(); parseServersConfig() takes documents only',
    });
  }
  // Otherwise the file could not be read; prepareServersConfig() has said why (claimed above).
  return undefined;
}
