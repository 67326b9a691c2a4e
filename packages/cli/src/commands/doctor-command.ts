/**
 * `toolwire doctor`: checks the runtime, the config, and each server (reachability, auth,
 * handshake, tool schemas), explaining every failure in plain words with the fix.
 * Exit code 0 when everything is healthy, 1 otherwise.
 */
import { ConfigError, JSONSchemaValidator, type Registry } from '@toolwire/core';
import { defaultConfigFiles, findConfig } from '../config/find-config.js';
import type { CliIO, Style } from '../output/terminal.js';
import { adviseConfigIssue, adviseServer, STDERR_LINES_SHOWN } from './doctor-advice.js';
import { openRegistry } from './open-registry.js';

export interface DoctorCommandOptions {
  config: string | undefined;
}

export async function doctorCommand(io: CliIO, style: Style, options: DoctorCommandOptions): Promise<number> {
  let problems = 0;
  const ok = (text: string) => io.stdout.write(`${style.green('✓')} ${text}\n`);
  const bad = (problem: string, fix: string, stderrTail: readonly string[] = []) => {
    problems++;
    io.stdout.write(`${style.red('✗')} ${problem}\n`);
    if (stderrTail.length > 0) {
      const shown = stderrTail.slice(-STDERR_LINES_SHOWN);
      io.stdout.write(
        `  ${style.dim(`its stderr (last ${shown.length} line${shown.length === 1 ? '' : 's'}):`)}\n`,
      );
      for (const line of shown) io.stdout.write(`  ${style.dim('│')} ${line}\n`);
    }
    io.stdout.write(`  ${style.dim('fix:')} ${fix}\n`);
  };
  const warn = (text: string) => io.stdout.write(`${style.yellow('!')} ${text}\n`);

  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major > 20 || (major === 20 && minor >= 19)) ok(`Node.js ${process.versions.node}`);
  else
    bad(
      `Node.js ${process.versions.node} is too old.`,
      'Install Node.js 20.19 or newer (22 LTS recommended).',
    );

  const path = await findConfig(options.config, io.cwd);
  if (!path) {
    bad(
      'No MCP configuration found.',
      `Pass --config <file> or create one of: ${defaultConfigFiles.join(', ')}.`,
    );
    return 1;
  }

  let registry: Registry;
  try {
    registry = await openRegistry(io, style, { config: path, progress: false });
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    for (const issue of error.issues) {
      const advice = adviseConfigIssue(issue);
      bad(advice.problem, advice.fix);
    }
    return 1;
  }
  const servers = registry.servers();
  // A server whose own entry is wrong is failed, not the whole file: the others are checked.
  const misconfigured = servers.filter((server) => server.error?.code === 'CONFIG_INVALID').length;
  if (misconfigured === 0) ok(`Configuration ${path} is valid (${servers.length} servers)`);
  else
    warn(
      `Configuration ${path}: ${misconfigured} of ${servers.length} servers have configuration problems (below); the others are checked`,
    );

  try {
    const validator = new JSONSchemaValidator();
    for (const server of servers) {
      for (const warning of server.configWarnings) warn(`${warning.path}: ${warning.message}`);
      if (server.status === 'disabled') {
        warn(`${server.name}: disabled in the config`);
        continue;
      }
      if (server.error?.code === 'CONFIG_INVALID' && server.error.issues) {
        for (const issue of server.error.issues) {
          const advice = adviseConfigIssue(issue);
          bad(advice.problem, advice.fix);
        }
        continue;
      }
      const stderrTail =
        server.status === 'failed' ? (registry.serverDetails(server.name)?.stderrTail ?? []) : [];
      const advice = adviseServer(server, stderrTail);
      if (advice) {
        bad(advice.problem, advice.fix, stderrTail);
        continue;
      }
      ok(
        `${server.name}: ${server.connectedTransport ?? server.transport}, connected in ${server.connectLatencyMs} ms, ` +
          `${server.toolCount} tools, protocol ${server.protocolVersion ?? 'unknown'}`,
      );
      for (const tool of registry.tools({ server: server.name })) {
        const compiled = validator.compile(tool.inputSchema);
        if (compiled.compileError) {
          warn(
            `${tool.name}: its input schema cannot be compiled (${compiled.compileError}); arguments are left to the server to check`,
          );
        }
      }
    }
  } finally {
    await registry.close();
  }
  io.stdout.write(
    problems === 0
      ? `\n${style.green('All checks passed.')}\n`
      : `\n${style.red(`${problems} problem(s) found.`)}\n`,
  );
  return problems === 0 ? 0 : 1;
}
