#!/usr/bin/env node
/** The `toolwire` executable: runs the CLI against the real process streams. */
import { runCli } from './main.js';
import { pipeSafe } from './output/pipe-safe-stream.js';

const code = await runCli(process.argv.slice(2), {
  stdout: pipeSafe(process.stdout),
  stderr: pipeSafe(process.stderr),
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  // Touched only when `-` asks for it, so a command that does not read stdin never holds it open.
  stdin: { [Symbol.asyncIterator]: () => process.stdin[Symbol.asyncIterator]() },
});
process.exitCode = code;
