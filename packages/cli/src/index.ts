/**
 * toolwire (CLI): `runCli(argv, io)` runs the command line in-process, for scripts and tests.
 * Every public symbol is named here.
 */
export type { RunCliHooks } from './main.js';
export { runCli } from './main.js';
export type { CliIO, OutputStream } from './output/terminal.js';
