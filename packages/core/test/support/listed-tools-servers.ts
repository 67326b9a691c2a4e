/**
 * The listed-tools fixture (`test/fixtures/listed-tools-server.mjs`): a stdio server that lists
 * exactly the tools a test gives it (any name, any schema), to play a hostile or careless server,
 * and records every call it receives, to prove what did (not) reach it.
 */
import { writeFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/client';
import type { ServerConfigInput } from '../../src/index.js';
import { readJsonLinesSync } from './json-lines.js';
import { fixturePath } from './paths.js';

export interface ListedToolsOptions {
  /** Server name (in its `serverInfo` and in call answers). */
  name: string;
  /** The tools it lists, exactly as given (`inputSchema` may be anything JSON). */
  tools: (Omit<Tool, 'inputSchema'> & { inputSchema: Record<string, unknown> })[];
  /** Tools that answer `isError: true` with `text` repeated `repeat` times. */
  errorTexts?: Record<string, { text: string; repeat: number }>;
  /** Tools that answer this object as their `structuredContent`, whatever their `outputSchema` says. */
  structuredResults?: Record<string, Record<string, unknown>>;
  /** A directory the test owns: the tool list (it may be megabytes) is written there. */
  directory: string;
  /** Where each call received is appended (`readListedCalls`). */
  eventsFile?: string;
}

/** One call the fixture received. */
export interface ListedCall {
  server: string;
  tool: string;
  arguments: Record<string, unknown>;
}

/** The listed-tools fixture as a registry config entry (stdio). */
export function listedToolsStdio(options: ListedToolsOptions): ServerConfigInput {
  const specFile = `${options.directory}/listed-tools-${options.name}.json`;
  writeFileSync(
    specFile,
    JSON.stringify({
      name: options.name,
      tools: options.tools,
      errorTexts: options.errorTexts,
      structuredResults: options.structuredResults,
    }),
  );
  const env: Record<string, string> = { LISTED_TOOLS_FILE: specFile };
  if (options.eventsFile) env.LISTED_TOOLS_EVENTS = options.eventsFile;
  return { command: process.execPath, args: [fixturePath('listed-tools-server.mjs')], env };
}

/** Every call the fixture recorded in `file` so far. */
export function readListedCalls(file: string): ListedCall[] {
  return readJsonLinesSync<ListedCall>(file);
}
