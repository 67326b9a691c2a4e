/**
 * Plain-words explanations for the failures `toolwire doctor` finds: what went wrong and the fix.
 * Driven by the stable error codes, refined by what the message says.
 */
import type { ConfigIssue, ServerInfo } from '@toolwire/core';

export interface Advice {
  problem: string;
  fix: string;
}

export function adviseConfigIssue(issue: ConfigIssue): Advice {
  const unset = /environment variable (\w+) is not set/.exec(issue.message);
  if (unset) {
    return {
      problem: `${issue.path} uses \${${unset[1]}}, which is not set.`,
      fix: `Export ${unset[1]} before running (export ${unset[1]}=…), or write \${${unset[1]}:-default} in the config.`,
    };
  }
  if (issue.message.includes('needs either "command"')) {
    return {
      problem: `${issue.path} says neither how to start the server nor where it is.`,
      fix: 'Add "command" (and "args") for a local stdio server, or "url" for a remote HTTP/SSE server.',
    };
  }
  if (issue.message.includes('unknown transport')) {
    return {
      problem: `${issue.path}: ${issue.message}.`,
      fix: 'Use "stdio", "http" (Streamable HTTP) or "sse", or leave "type" out.',
    };
  }
  if (issue.message.startsWith('unknown option')) {
    return {
      problem: `Unknown top-level key "${issue.path}".`,
      fix: 'Check the spelling; servers go under "mcpServers" or "servers".',
    };
  }
  const unknownKey = /^unknown key(?:; did you mean "([^"]+)"\?)?/.exec(issue.message);
  if (unknownKey) {
    return {
      problem: `${issue.path} is not a known key.`,
      fix: unknownKey[1]
        ? `Did you mean "${unknownKey[1]}"? Rename it.`
        : 'Remove it, or check docs/configuration.md for the keys a server entry takes.',
    };
  }
  if (issue.line !== undefined) {
    return {
      problem: `${issue.message}.`,
      fix: 'Fix the syntax there (comments and trailing commas are allowed, as in VS Code).',
    };
  }
  return {
    problem: `${issue.path || 'The config'}: ${issue.message}.`,
    fix: 'Correct the value at that path (see docs/configuration.md).',
  };
}

/** How many of a failing server's last stderr lines doctor prints. */
export const STDERR_LINES_SHOWN = 10;

export function adviseServer(server: ServerInfo, stderrTail: readonly string[] = []): Advice | undefined {
  if (server.status !== 'failed' || !server.error) return undefined;
  const { code, message } = server.error;
  if (code === 'AUTH_FAILED') {
    return {
      problem: `"${server.name}" rejected our credentials.`,
      fix: 'Check the token, headers or client credentials (clientId, clientSecret, tokenUrl, scope) for this server; an expired or revoked secret also ends here.',
    };
  }
  if (/was not found; is it installed/.test(message)) {
    return {
      problem: `The command for "${server.name}" (${server.command}) does not exist on this machine.`,
      fix: `Install it or fix "command" (use an absolute path if it is not on PATH).`,
    };
  }
  if (/connection refused/.test(message)) {
    return {
      problem: `Nothing is listening at ${server.url} for "${server.name}".`,
      fix: 'Start the server, or correct the host and port in "url".',
    };
  }
  if (/host not found/.test(message)) {
    return {
      problem: `The host in "${server.name}"'s url cannot be resolved.`,
      fix: 'Check the hostname, DNS and any proxy settings.',
    };
  }
  if (/did not finish connecting within|did not answer the handshake/.test(message)) {
    return {
      problem: `"${server.name}" started but did not complete the MCP handshake in time.`,
      fix:
        adviseFromStderr(server, stderrTail) ??
        `Run "${server.command}" by hand to see what it prints; if it is just slow to start, raise "connectTimeoutMs" for it.`,
    };
  }
  if (/exited during start-up|closed unexpectedly/.test(message)) {
    return {
      problem: `"${server.name}" exited while starting.`,
      fix:
        adviseFromStderr(server, stderrTail) ??
        (stderrTail.length === 0
          ? `It wrote nothing to stderr: run "${server.command}" by hand with the same arguments and environment to see why it stops.`
          : `Its stderr (above) says why; fix that in the server's "args" or "env", then run \`toolwire doctor\` again.`),
    };
  }
  if (/HTTP (404|405|410)/.test(message)) {
    return {
      problem: `"${server.name}" answered ${/HTTP (\d+)/.exec(message)?.[1]} at ${server.url}: probably not the MCP endpoint.`,
      fix: 'Check the path in "url" (often /mcp, or /sse for legacy servers); set "type": "sse" for SSE-only servers.',
    };
  }
  if (/HTTP 5\d\d/.test(message)) {
    return {
      problem: `"${server.name}" failed on its side (${/HTTP (\d+)/.exec(message)?.[1]}).`,
      fix: "Check the server's own logs.",
    };
  }
  return {
    problem: `"${server.name}" failed: ${message.split('\n')[0]}`,
    fix: 'Run `toolwire tools --config …` for details.',
  };
}

/** A concrete next step read from what a stdio server wrote to stderr, when it says enough. */
function adviseFromStderr(server: ServerInfo, tail: readonly string[]): string | undefined {
  const text = tail.join('\n');
  const variable =
    /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b[^\n]*?\b(?:is not set|not set|is missing|missing|is required|required|must be set|undefined)\b/.exec(
      text,
    )?.[1] ?? /\b(?:missing|set|requires?|needs?)\b[^\n]*?\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/i.exec(text)?.[1];
  if (variable && /^[A-Z0-9_]+$/.test(variable)) {
    return `Set ${variable} in the "env" of "${server.name}" in the config (or export it before running), then run \`toolwire doctor\` again.`;
  }
  const module = /Cannot find (?:module|package) '([^']+)'/.exec(text)?.[1];
  if (module) {
    return `The server could not load "${module}": install its package (or its dependencies) again, or check that "args" points at the right file.`;
  }
  if (/EADDRINUSE/.test(text)) {
    return 'It wants a port another process holds: stop that process or give the server another port.';
  }
  if (/\bEACCES\b|permission denied/i.test(text)) {
    return `It was refused a file or port it needs: check the paths in "args" and the user "${server.command}" runs as.`;
  }
  if (
    /^\s*usage:|unknown (?:option|argument|command)|invalid (?:option|argument)|missing (?:required )?argument/im.test(
      text,
    )
  ) {
    return `It rejected its command line: check "args" for "${server.name}" against its usage (above).`;
  }
  return undefined;
}
