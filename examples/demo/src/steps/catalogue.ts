/** Prints the servers (status, connect latency, tool count, protocol) and the catalogue of tools. */
import type { DemoStep } from '../demo-context.ts';
import { milliseconds, pad, summary } from '../format.ts';

export const catalogueStep: DemoStep = {
  title: 'Catalogue',
  async run({ registry, failingServer, print, check }) {
    const servers = registry.servers();
    print('Servers');
    for (const server of servers) {
      const version = server.serverVersion
        ? `${server.serverVersion.name} ${server.serverVersion.version}`
        : '';
      print(
        `  ${pad(server.name, 12)} ${pad(server.status, 8)} ${pad(milliseconds(server.connectLatencyMs), 8)} ${pad(`${server.toolCount} tools`, 9)} ${pad(server.connectedTransport ?? server.transport, 6)} ${version}${server.protocolVersion ? ` (MCP ${server.protocolVersion})` : ''}`,
      );
      if (server.error)
        print(
          `      ${server.error.code}: ${server.error.message.split('\n')[0]?.replace(/;? last stderr lines:$/, '')}`,
        );
      if (server.name === failingServer) continue; // failing on purpose: the next step
      check(
        server.status === 'active',
        `server "${server.name}" is ${server.status}: ${server.error?.message ?? ''}`,
      );
      check(server.toolCount > 0, `server "${server.name}" offers no tools`);
    }

    const tools = registry.tools();
    const width = Math.max(...tools.map((tool) => tool.name.length)) + 2;
    print();
    print(`Tools (${tools.length})`);
    for (const tool of tools) print(`  ${pad(tool.name, width)} ${summary(tool.description, 70)}`);
    check(
      tools.every((tool) => /^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)),
      'every tool name is safe for model providers',
    );
  },
};
