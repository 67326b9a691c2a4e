// The seven ways to call one MCP tool that the per-call benchmark compares, each connected to its
// own copy of the same server over the same transport. Every contender exposes
// `call(index) → Promise` and `close()`, and is checked once for a correct echo before timing.
// The server is our minimal one (`echo` answers its message) unless the descriptor says otherwise
// (`name`, `expect`): server-everything's `echo` answers `Echo: <message>`.
//
// Framework tools are invoked the way their agent loops invoke them: a LangChain tool with a
// `ToolCall` (LangGraph's ToolNode does this; the result is a ToolMessage), an AI SDK tool by
// validating the input against the tool's `inputSchema` and then calling `execute` (what
// `generateText`/`ToolLoopAgent` do for each tool call).
import { createMCPClient } from '@ai-sdk/mcp';
import { Experimental_StdioMCPTransport } from '@ai-sdk/mcp/mcp-stdio';
import { MultiServerMCPClient } from '@langchain/mcp-adapters';
import {
  Client as ClientV2,
  StreamableHTTPClientTransport as HttpTransportV2,
} from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioTransportV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioTransportV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpTransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { createRegistry, silentLogger } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { asSchema } from 'ai';

/** Row names, in the order the report lists them; the first is the baseline. */
export const CONTENDERS = [
  'raw SDK v2 client',
  'raw SDK v1 client',
  'toolwire registry.callTool',
  'toolwire LangChain tool',
  'toolwire AI SDK tool',
  '@langchain/mcp-adapters tool',
  '@ai-sdk/mcp tool',
];

const CLIENT_INFO = { name: 'toolwire-bench', version: '1.0.0' };

/** The registry contenders' connect deadline: generous, see `registryFor`. */
const CONNECT_TIMEOUT_MS = 300_000;

/**
 * Connects one contender to `server` (`{ transport: 'stdio', command, args }` or
 * `{ transport: 'http', url }`, plus optionally `name`, the server's name in a registry,
 * `tool`, the echo tool's name for the raw clients (a gateway serves `minimal__echo`), and
 * `expect(message)`, the echo's text) and returns `{ name, call, close }`.
 */
export async function connectContender(name, server) {
  const contender = await factories[name]({
    name: 'minimal',
    tool: 'echo',
    expect: (message) => message,
    ...server,
  });
  const result = await contender.call(0);
  const text = textOf(result);
  const expected = server.expect ? server.expect('m0') : 'm0';
  if (text !== expected)
    throw new Error(`${name}: expected the echo ${JSON.stringify(expected)}, got ${JSON.stringify(text)}`);
  return { name, ...contender };
}

const factories = {
  async 'raw SDK v2 client'(server) {
    const client = new ClientV2(CLIENT_INFO);
    await client.connect(
      server.transport === 'stdio'
        ? new StdioTransportV2({ command: server.command, args: server.args, stderr: 'ignore' })
        : new HttpTransportV2(new URL(server.url)),
    );
    await client.listTools(); // as any application does first (the SDK then checks results against it)
    return {
      call: (index) => client.callTool({ name: server.tool, arguments: { message: `m${index}` } }),
      close: () => client.close(),
    };
  },
  async 'raw SDK v1 client'(server) {
    const client = new ClientV1(CLIENT_INFO);
    await client.connect(
      server.transport === 'stdio'
        ? new StdioTransportV1({ command: server.command, args: server.args, stderr: 'ignore' })
        : new HttpTransportV1(new URL(server.url)),
    );
    await client.listTools();
    return {
      call: (index) => client.callTool({ name: server.tool, arguments: { message: `m${index}` } }),
      close: () => client.close(),
    };
  },
  async 'toolwire registry.callTool'(server) {
    const registry = await registryFor(server);
    return {
      call: (index) => registry.callTool(`${server.name}__echo`, { message: `m${index}` }),
      close: () => registry.close(),
    };
  },
  async 'toolwire LangChain tool'(server) {
    const registry = await registryFor(server);
    const tool = toLangChainTools(registry).find((candidate) => candidate.name === `${server.name}__echo`);
    return {
      call: (index) => tool.invoke(toolCall(tool.name, index)),
      close: () => registry.close(),
    };
  },
  async 'toolwire AI SDK tool'(server) {
    const registry = await registryFor(server);
    const tool = toAISDKTools(registry)[`${server.name}__echo`];
    return { call: aiSdkInvoker(tool), close: () => registry.close() };
  },
  async '@langchain/mcp-adapters tool'(server) {
    const client = new MultiServerMCPClient({
      mcpServers: {
        [server.name]:
          server.transport === 'stdio'
            ? { transport: 'stdio', command: server.command, args: server.args, stderr: 'ignore' }
            : { transport: 'http', url: server.url },
      },
    });
    const tools = await client.getTools();
    const tool = tools.find((candidate) => candidate.name === 'echo' || candidate.name.endsWith('__echo'));
    if (!tool) throw new Error(`@langchain/mcp-adapters: no echo tool among ${tools.map((t) => t.name)}`);
    return { call: (index) => tool.invoke(toolCall(tool.name, index)), close: () => client.close() };
  },
  async '@ai-sdk/mcp tool'(server) {
    const client = await createMCPClient({
      transport:
        server.transport === 'stdio'
          ? new Experimental_StdioMCPTransport({
              command: server.command,
              args: server.args,
              stderr: 'ignore',
            })
          : { type: 'http', url: server.url },
    });
    const tools = await client.tools();
    return { call: aiSdkInvoker(tools.echo), close: () => client.close() };
  },
};

/** A registry with the one server, as an application would create it (no schema cache file). */
function registryFor(server) {
  const definition =
    server.transport === 'stdio'
      ? { command: server.command, args: server.args, stderr: 'ignore' }
      : { url: server.url, transport: 'streamable-http' };
  // The bench times calls, not connects: a machine busy with other work must not fail a
  // server-everything start (Node loading its modules) by the 30 s default connect deadline.
  return createRegistry({
    servers: { [server.name]: definition },
    cache: 'none',
    logger: silentLogger,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });
}

function toolCall(name, index) {
  return { type: 'tool_call', id: `call_${index}`, name, args: { message: `m${index}` } };
}

/** Calls an AI SDK tool the way the AI SDK's loop does: validate the input, then execute. */
function aiSdkInvoker(tool) {
  const schema = asSchema(tool.inputSchema);
  return async (index) => {
    const outcome = await validateInput(schema, { message: `m${index}` });
    if (!outcome.success) throw outcome.error;
    return tool.execute(outcome.value, { toolCallId: `call_${index}`, messages: [] });
  };
}

/**
 * The AI SDK's check of a tool call's input (`safeValidateTypes` in `@ai-sdk/provider-utils`): an
 * async function for every tool, which awaits the schema's `validate` when it has one and answers
 * at once when it has none (as @ai-sdk/mcp's tools do not).
 */
async function validateInput(schema, value) {
  if (schema.validate == null) return { success: true, value };
  const result = await schema.validate(value);
  return result.success ? { success: true, value: result.value } : { success: false, error: result.error };
}

/** The text of a result, whatever shape the contender returns. */
function textOf(result) {
  if (typeof result === 'string') return result;
  if (result && typeof result.content === 'string') return result.content; // ToolMessage
  if (result && Array.isArray(result.content)) {
    const block = result.content.find((item) => item.type === 'text');
    return block?.text;
  }
  if (result && typeof result.text === 'string') return result.text;
  return undefined;
}
