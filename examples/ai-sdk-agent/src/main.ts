/**
 * An AI SDK agent whose tools come from a toolwire registry (here the reference
 * `server-everything` over stdio). Without an API key a scripted model drives the loop; with
 * `OPENAI_API_KEY` set, a real OpenAI model does. Either way the program checks the answer
 * against what the tools returned and exits non-zero when it is wrong.
 *
 *   pnpm --filter @toolwire/example-ai-sdk-agent start
 *   OPENAI_API_KEY=… OPENAI_MODEL=gpt-4o-mini pnpm --filter @toolwire/example-ai-sdk-agent start
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import { toAISDKTools } from '@toolwire/ai-sdk';
import { scriptedGenerate, toolResultsIn } from '@toolwire/ai-sdk/testing';
import { createRegistry, silentLogger } from '@toolwire/core';
import { type LanguageModel, stepCountIs, ToolLoopAgent } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { z } from 'zod';

const everythingPackage = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/package.json',
);

const registry = await createRegistry({
  mcpServers: {
    everything: {
      command: process.execPath,
      args: [join(dirname(everythingPackage), 'dist', 'index.js'), 'stdio'],
      stderr: 'ignore',
    },
  },
  cache: 'memory', // a one-shot run: nothing to reuse, nothing left in ~/.cache/toolwire
  logger: silentLogger,
});

try {
  // Every tool of the registry, plus the weather tool typed by our own schemas.
  const tools = {
    ...toAISDKTools(registry, { filter: (tool) => tool.name !== 'everything__get-structured-content' }),
    ...toAISDKTools(registry, {
      schemas: {
        'everything__get-structured-content': {
          inputSchema: z.object({ location: z.enum(['New York', 'Chicago', 'Los Angeles']) }),
          outputSchema: z.object({ temperature: z.number(), conditions: z.string(), humidity: z.number() }),
        },
      },
    }),
  };

  const apiKey = process.env.OPENAI_API_KEY;
  const model: LanguageModel = apiKey
    ? createOpenAI({ apiKey })(process.env.OPENAI_MODEL ?? 'gpt-4o-mini')
    : scriptedModel();

  const agent = new ToolLoopAgent({
    model,
    tools,
    stopWhen: stepCountIs(6),
    instructions: 'Use the tools for every fact. Answer in one short paragraph.',
  });
  const result = await agent.generate({
    prompt: 'What is 17 + 25? What is the weather in Chicago? Also fetch the tiny MCP logo image.',
  });

  const toolResults = result.steps.flatMap((step) => step.toolResults);
  const sum = toolResults.find((entry) => entry.toolName === 'everything__get-sum');
  const weather = toolResults.find((entry) => entry.toolName === 'everything__get-structured-content');
  const problems: string[] = [];
  if (!sum || !JSON.stringify(sum.output).includes('42')) problems.push('get-sum did not return 42');
  if ((weather?.output as { conditions?: string } | undefined)?.conditions !== 'Light rain / drizzle')
    problems.push('the typed weather tool did not return Chicago’s conditions');
  if (!result.text.includes('42'))
    problems.push(`the answer does not mention 42: ${JSON.stringify(result.text)}`);

  console.log(
    `model: ${apiKey ? 'OpenAI' : 'scripted'}; steps: ${result.steps.length}; tools called: ${toolResults.map((entry) => entry.toolName).join(', ')}`,
  );
  console.log(`answer: ${result.text}`);
  if (problems.length > 0) {
    console.error(`FAILED:\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  } else {
    console.log('ok');
  }
} finally {
  // Ends the server process (Node 22 has no `await using` yet).
  await registry.close();
}

/**
 * A model that needs no API key: it calls the tools, then writes its answer from the tool
 * results it received in its prompt, so the answer is only right if the tools really worked.
 */
function scriptedModel(): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    doGenerate: scriptedGenerate([
      {
        toolCalls: [
          { toolName: 'everything__get-sum', input: { a: 17, b: 25 } },
          { toolName: 'everything__get-structured-content', input: { location: 'Chicago' } },
          { toolName: 'everything__get-tiny-image', input: {} },
        ],
      },
      (prompt) => {
        const seen = (toolName: string) =>
          toolResultsIn(prompt).find((part) => part.toolName === toolName)?.output;
        const sumOutput = seen('everything__get-sum');
        const weatherOutput = seen('everything__get-structured-content');
        const logoOutput = seen('everything__get-tiny-image');
        const total = sumOutput?.type === 'text' ? String(sumOutput.value).match(/\d+/g)?.at(-1) : undefined;
        const conditions =
          weatherOutput?.type === 'json'
            ? (weatherOutput.value as { conditions?: string }).conditions
            : undefined;
        const image =
          logoOutput?.type === 'content' &&
          (logoOutput.value as { type: string }[]).some((part) => part.type === 'file')
            ? 'I received the logo image.'
            : 'I did not receive an image.';
        return { text: `17 + 25 = ${total}. Chicago: ${conditions}. ${image}` };
      },
    ]),
  });
}
