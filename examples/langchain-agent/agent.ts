/**
 * A LangChain v1 agent (`createAgent`) whose tools come from three MCP servers over stdio
 * (server-everything, server-memory, server-filesystem) through one toolwire registry.
 *
 * Without an API key a scripted model drives the loop (so CI runs it offline); with
 * `OPENAI_API_KEY` set, a real OpenAI model does. Either way the example checks the outcome
 * (the file written, the memory stored, the answer given) and exits non-zero when it is wrong.
 *
 *   pnpm --filter @toolwire/example-langchain-agent start
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { createRegistry } from '@toolwire/core';
import { toLangChainTools } from '@toolwire/langchain';
import { ScriptedChatModel, toolCallTurn } from '@toolwire/langchain/testing';
import { createAgent } from 'langchain';

const require = createRequire(import.meta.url);
const serverEntry = (name: string) => require.resolve(`@modelcontextprotocol/${name}/dist/index.js`);

const sandbox = mkdtempSync(path.join(tmpdir(), 'toolwire-langchain-agent-'));
const notesPath = path.join(sandbox, 'notes.txt');
const task =
  `Remember that the launch code is 4217 (store it in memory as an entity named "launch"), ` +
  `write the line "launch code: 4217" to ${notesPath}, then add 19 and 23 and tell me the sum.`;

const registry = await createRegistry({
  mcpServers: {
    everything: { command: process.execPath, args: [serverEntry('server-everything'), 'stdio'] },
    memory: {
      command: process.execPath,
      args: [serverEntry('server-memory')],
      env: { MEMORY_FILE_PATH: path.join(sandbox, 'memory.jsonl') },
    },
    files: { command: process.execPath, args: [serverEntry('server-filesystem'), sandbox] },
  },
  // A new sandbox each run: a file cache would gain entries per run and never be read again.
  cache: 'memory',
});

try {
  const tools = toLangChainTools(registry, {
    include: ['everything__get-sum', 'memory__create_entities', 'memory__search_nodes', 'files__write_file'],
  });

  const apiKey = process.env.OPENAI_API_KEY;
  const model: BaseChatModel = apiKey
    ? new ChatOpenAI({ model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini', apiKey })
    : new ScriptedChatModel([
        () =>
          toolCallTurn(
            {
              name: 'memory__create_entities',
              args: {
                entities: [{ name: 'launch', entityType: 'secret', observations: ['launch code 4217'] }],
              },
            },
            { name: 'files__write_file', args: { path: notesPath, content: 'launch code: 4217\n' } },
            { name: 'everything__get-sum', args: { a: 19, b: 23 } },
          ),
        (messages) => {
          const sum = messages.find(
            (message): message is ToolMessage =>
              ToolMessage.isInstance(message) && message.name === 'everything__get-sum',
          );
          const total = String(sum?.content).match(/(\d+)\D*$/)?.[1] ?? '?';
          return new AIMessage(`Stored the launch code and wrote the note. The sum is ${total}.`);
        },
      ]);

  const agent = createAgent({ model, tools });
  const result = await agent.invoke(
    { messages: [{ role: 'user', content: task }] },
    { configurable: { thread_id: 'example-thread' }, recursionLimit: 20 },
  );

  const messages: BaseMessage[] = result.messages;
  const answer = String(messages.at(-1)?.content ?? '');
  const toolMessages = messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));
  const remembered = await registry.callTool('memory__search_nodes', { query: 'launch' });

  const checks: [string, boolean][] = [
    [
      'every tool call succeeded',
      toolMessages.length >= 3 && toolMessages.every((message) => message.status !== 'error'),
    ],
    ['the note was written', safeRead(notesPath).includes('4217')],
    ['the memory holds the code', remembered.text.includes('4217')],
    ['the answer has the sum', /\b42\b/.test(answer)],
  ];

  console.log(`model: ${apiKey ? 'OpenAI' : 'scripted (set OPENAI_API_KEY for a real model)'}`);
  for (const message of toolMessages)
    console.log(`  tool ${message.name}: ${String(message.content).replace(/\s+/g, ' ').slice(0, 80)}`);
  console.log(`answer: ${answer}`);
  for (const [name, passed] of checks) console.log(`${passed ? 'ok  ' : 'FAIL'} ${name}`);
  if (checks.some(([, passed]) => !passed)) process.exitCode = 1;
} finally {
  // Closing the registry stops the three server processes.
  await registry.close();
  rmSync(sandbox, { recursive: true, force: true });
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
