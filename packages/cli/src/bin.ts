#!/usr/bin/env node
/** The `toolwire` executable: runs the CLI against the real process streams. */
import { runCli } from './main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;
