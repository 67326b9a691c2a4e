// packages/cli/README.md:43
import { runCli } from 'toolwire';

const code = await runCli(['tools', '--config', 'mcp.json', '--json'], {
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: false,
  env: process.env,
  cwd: process.cwd(),
});
