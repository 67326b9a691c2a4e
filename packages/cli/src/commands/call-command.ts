/**
 * `toolwire call <tool> [key=value…|'<json>'|-]`: call one tool and print its result. Text is printed,
 * images and audio are saved to files (their paths printed), structured content is printed as
 * JSON. Exit code 0 on success, 1 when the tool reported an error or the call failed.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ToolCallResult, ToolwireError } from '@toolwire/core';
import { parseToolArguments, readStdinArgument } from '../arguments/tool-arguments.js';
import type { CliIO, Style } from '../output/terminal.js';
import { openRegistry } from './open-registry.js';

export interface CallCommandOptions {
  config: string | undefined;
  tool: string;
  /** key=value pairs, JSON objects and `-` (stdin), in order. */
  argumentTokens: string[];
  json: boolean;
  timeoutMs: number | undefined;
  outDir: string | undefined;
  sessionKey: string | undefined;
  /** Print the servers' log messages on stderr. */
  verbose?: boolean | undefined;
}

export async function callCommand(io: CliIO, style: Style, options: CallCommandOptions): Promise<number> {
  const stdinText = await readStdinArgument(options.argumentTokens, io.stdin);
  // Malformed arguments are a usage error before any server is started.
  parseToolArguments({ tokens: options.argumentTokens, stdinText });
  const registry = await openRegistry(io, style, {
    config: options.config,
    progress: false,
    verbose: options.verbose,
  });
  try {
    const info = registry.tools({ includeDisabled: true }).find((tool) => tool.name === options.tool);
    const args = parseToolArguments({
      tokens: options.argumentTokens,
      stdinText,
      inputSchema: info?.inputSchema,
    });
    let result: ToolCallResult;
    try {
      result = await registry.callTool(options.tool, args, {
        timeoutMs: options.timeoutMs,
        sessionKey: options.sessionKey,
        onProgress: (progress) => {
          const total = progress.total === undefined ? '' : `/${progress.total}`;
          io.stderr.write(
            style.dim(
              `progress ${progress.progress}${total}${progress.message ? ` ${progress.message}` : ''}\n`,
            ),
          );
        },
      });
    } catch (error) {
      if (!ToolwireError.isInstance(error)) throw error;
      if (options.json) io.stdout.write(`${JSON.stringify({ ok: false, error: error.toJSON() }, null, 2)}\n`);
      else io.stderr.write(`${style.red(`${error.code}:`)} ${error.message}\n`);
      return 1;
    }
    const files = await saveBinaryContent(result, resolve(io.cwd, options.outDir ?? '.'));
    if (options.json) {
      io.stdout.write(
        `${JSON.stringify({ ok: !result.isError, result: jsonResult(result), files }, null, 2)}\n`,
      );
    } else {
      printResult(io, style, result, files);
    }
    return result.isError ? 1 : 0;
  } finally {
    await registry.close();
  }
}

const extensions: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
};

async function saveBinaryContent(result: ToolCallResult, directory: string): Promise<string[]> {
  const files: string[] = [];
  let index = 0;
  for (const block of result.content) {
    if (block.type !== 'image' && block.type !== 'audio') continue;
    index++;
    const extension = extensions[block.mimeType] ?? 'bin';
    const file = join(directory, `${result.tool}-${index}.${extension}`);
    await writeFile(file, Buffer.from(block.data, 'base64'));
    files.push(file);
  }
  return files;
}

function printResult(io: CliIO, style: Style, result: ToolCallResult, files: string[]): void {
  if (result.isError) io.stderr.write(`${style.red('The tool reported an error:')}\n`);
  const out = result.isError ? io.stderr : io.stdout;
  let fileIndex = 0;
  for (const block of result.content) {
    if (block.type === 'text') out.write(`${block.text}\n`);
    else if (block.type === 'image' || block.type === 'audio')
      out.write(`${style.dim(`[${block.type} ${block.mimeType}]`)} saved to ${files[fileIndex++]}\n`);
    else if (block.type === 'resource_link')
      out.write(`${style.dim('[link]')} ${block.name}: ${block.uri}\n`);
    else if (block.type === 'resource') {
      const resource = block.resource as { uri: string; text?: string };
      out.write(`${style.dim('[resource]')} ${resource.uri}${resource.text ? `\n${resource.text}` : ''}\n`);
    }
  }
  if (result.structuredContent && result.text === '')
    out.write(`${JSON.stringify(result.structuredContent, null, 2)}\n`);
}

function jsonResult(result: ToolCallResult) {
  return {
    tool: result.tool,
    server: result.server,
    isError: result.isError,
    text: result.text,
    content: result.content.map((block) =>
      block.type === 'image' || block.type === 'audio'
        ? { type: block.type, mimeType: block.mimeType, bytes: Buffer.from(block.data, 'base64').length }
        : block,
    ),
    structuredContent: result.structuredContent ?? null,
    durationMs: Math.round(result.durationMs * 100) / 100,
  };
}
