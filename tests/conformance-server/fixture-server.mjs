#!/usr/bin/env node
// The conformance fixture: the tools, prompts and resources the official suite's server
// scenarios call, published with @toolwire/publisher's public API and nothing else but its
// `extend` hook (resource subscriptions and completions, which the publisher does not wrap).
// Listens on 127.0.0.1, a free port, and prints {"url": …} as its first stdout line.
import {
  ask,
  createPublisher,
  definePrompt,
  defineResource,
  defineTool,
  ProtocolError,
  ProtocolErrorCode,
} from '@toolwire/publisher';
import { z } from 'zod';

const IMAGE =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const AUDIO = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Sleeps `ms`, or rejects as soon as `signal` aborts (a cancelled task stops at once). */
const sleepUnlessAborted = (ms, signal) =>
  new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
const confirmSchema = {
  type: 'object',
  properties: { confirm: { type: 'boolean' } },
  required: ['confirm'],
};

const describeElicitation = (prefix, result) =>
  `${prefix}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;

const tools = [
  defineTool({
    name: 'test_simple_text',
    description: 'Returns simple text content.',
    execute: () => 'This is a simple text response for testing.',
  }),
  defineTool({
    name: 'test_image_content',
    description: 'Returns image content.',
    execute: () => ({ content: [{ type: 'image', data: IMAGE, mimeType: 'image/png' }] }),
  }),
  defineTool({
    name: 'test_audio_content',
    description: 'Returns audio content.',
    execute: () => ({ content: [{ type: 'audio', data: AUDIO, mimeType: 'audio/wav' }] }),
  }),
  defineTool({
    name: 'test_embedded_resource',
    description: 'Returns an embedded resource.',
    execute: () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  }),
  defineTool({
    name: 'test_multiple_content_types',
    description: 'Returns text, image and resource content.',
    execute: () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: IMAGE, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  }),
  defineTool({
    name: 'test_tool_with_logging',
    description: 'Logs three messages while it runs.',
    inputSchema: z.object({}),
    async execute(_args, context) {
      await context.log('info', 'Tool execution started');
      await sleep(50);
      await context.log('info', 'Tool processing data');
      await sleep(50);
      await context.log('info', 'Tool execution completed');
      return 'Tool with logging executed successfully';
    },
  }),
  defineTool({
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50, 100.',
    inputSchema: z.object({}),
    async execute(_args, context) {
      for (const progress of [0, 50, 100]) {
        await context.reportProgress({ progress, total: 100, message: `Completed step ${progress} of 100` });
        if (progress !== 100) await sleep(50);
      }
      return String(context.sdkContext.mcpReq._meta?.progressToken ?? '');
    },
  }),
  defineTool({
    name: 'test_error_handling',
    description: 'Always fails.',
    execute: () => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  }),
  defineTool({
    name: 'test_reconnection',
    description: 'Closes its SSE stream mid-call so the client reconnects (SEP-1699).',
    inputSchema: z.object({}),
    async execute(_args, context) {
      context.sdkContext.http?.closeSSE?.();
      await sleep(100);
      return 'Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.';
    },
  }),
  defineTool({
    name: 'test_sampling',
    description: 'Asks the client model for a completion.',
    inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    async execute({ prompt }, context) {
      const result = await context.sample({
        messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
        maxTokens: 100,
      });
      const text = Array.isArray(result.content) ? result.content[0]?.text : result.content?.text;
      return `LLM response: ${text ?? 'No response'}`;
    },
  }),
  defineTool({
    name: 'test_elicitation',
    description: 'Asks the user for a response.',
    inputSchema: z.object({ message: z.string().describe('The message to show the user') }),
    async execute({ message }, context) {
      const result = await context.elicit({
        message,
        requestedSchema: {
          type: 'object',
          properties: { response: { type: 'string', description: "User's response" } },
          required: ['response'],
        },
      });
      return describeElicitation('User response', result);
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation with default values (SEP-1034).',
    inputSchema: z.object({}),
    async execute(_args, context) {
      const result = await context.elicit({
        message: 'Please review and update the form fields with defaults',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
      });
      return describeElicitation('Elicitation completed', result);
    },
  }),
  defineTool({
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation with enum schemas (SEP-1330).',
    inputSchema: z.object({}),
    async execute(_args, context) {
      const choices = (kind) => [
        { const: 'value1', title: `First ${kind}` },
        { const: 'value2', title: `Second ${kind}` },
        { const: 'value3', title: `Third ${kind}` },
      ];
      const result = await context.elicit({
        message: 'Please select options from the enum fields',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: {
              type: 'string',
              description: 'Select one option',
              enum: ['option1', 'option2', 'option3'],
            },
            titledSingle: {
              type: 'string',
              description: 'Select one option with titles',
              oneOf: choices('Option'),
            },
            legacyEnum: {
              type: 'string',
              description: 'Select one option (legacy)',
              enum: ['opt1', 'opt2', 'opt3'],
              enumNames: ['Option One', 'Option Two', 'Option Three'],
            },
            untitledMulti: {
              type: 'array',
              description: 'Select multiple options',
              minItems: 1,
              maxItems: 3,
              items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            },
            titledMulti: {
              type: 'array',
              description: 'Select multiple options with titles',
              minItems: 1,
              maxItems: 3,
              items: { anyOf: choices('Choice') },
            },
          },
          required: [],
        },
      });
      return describeElicitation('Elicitation completed', result);
    },
  }),
  defineTool({
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features (SEP-1613).',
    // Raw JSON Schema: published exactly as written.
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: {
          $anchor: 'addressDef',
          type: 'object',
          properties: { street: { type: 'string' }, city: { type: 'string' } },
        },
      },
      properties: {
        name: { type: 'string' },
        address: { $ref: '#/$defs/address' },
        contactMethod: { type: 'string', enum: ['phone', 'email'] },
        phone: { type: 'string' },
        email: { type: 'string' },
      },
      allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
      if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's conditional keyword, not a thenable.
      then: { required: ['phone'] },
      else: { required: ['email'] },
      additionalProperties: false,
    },
    execute: (args) => `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}`,
  }),
  // 2026-07-28 multi-round-trip input (SEP-2322): the same context.elicit / context.sample calls,
  // answered through input_required results; `key` names each question as the suite expects.
  defineTool({
    name: 'test_input_required_result_elicitation',
    description: 'Asks for a name through an input_required result.',
    async execute(_args, context) {
      const answer = await context.elicit(
        {
          message: 'What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        { key: 'user_name' },
      );
      return `Hello, ${answer.content?.name ?? 'stranger'}!`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_sampling',
    description: 'Asks the client model a question through an input_required result.',
    async execute(_args, context) {
      const result = await context.sample(
        {
          messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
          maxTokens: 100,
        },
        { key: 'capital_question' },
      );
      const text = Array.isArray(result.content) ? result.content[0]?.text : result.content?.text;
      return `Model answered: ${text ?? ''}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_list_roots',
    description: 'Asks for the client roots through an input_required result.',
    async execute(_args, context) {
      const roots = await context.listRoots({ key: 'client_roots' });
      return `Roots: ${roots.map((root) => root.uri).join(', ')}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_multi_round',
    description: 'Asks two questions in two rounds.',
    async execute(_args, context) {
      const name = await context.elicit(
        {
          message: 'Step 1: What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        { key: 'step1' },
      );
      const color = await context.elicit(
        {
          message: 'Step 2: What is your favorite color?',
          requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
        },
        { key: 'step2' },
      );
      return `${name.content?.name ?? ''} likes ${color.content?.color ?? ''}`;
    },
  }),
  // The answers of earlier rounds come back in a sealed requestState (AES-GCM, bound to the
  // caller, the tool and its arguments, expiring): a tampered one is refused with -32602.
  defineTool({
    name: 'test_input_required_result_request_state',
    description: 'Asks for a confirmation; the state of the round is sealed.',
    async execute(_args, context) {
      const answer = await context.elicit(
        {
          message: 'Please confirm',
          requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        },
        { key: 'confirm' },
      );
      return answer.content?.ok === true ? 'state-ok: confirmed' : 'state-ok: not confirmed';
    },
  }),
  defineTool({
    name: 'test_input_required_result_tampered_state',
    description: 'Asks for a confirmation; a tampered requestState is refused.',
    async execute(_args, context) {
      const answer = await context.elicit(
        {
          message: 'Please confirm',
          requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        },
        { key: 'confirm' },
      );
      return `confirmed=${answer.content?.ok === true}`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_multiple_inputs',
    description: 'Asks the user, the model and for the roots in one round.',
    async execute(_args, context) {
      const { user_name, greeting, client_roots } = await context.input({
        user_name: ask.elicit({
          message: 'What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        }),
        greeting: ask.sample({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        }),
        client_roots: ask.listRoots(),
      });
      const text = Array.isArray(greeting.content) ? greeting.content[0]?.text : greeting.content?.text;
      return `${user_name.content?.name ?? ''}: ${text ?? ''} (${client_roots.length} roots)`;
    },
  }),
  defineTool({
    name: 'test_input_required_result_capabilities',
    description: 'Asks only through the input channels the client declared.',
    async execute(_args, context) {
      if (context.canSample) {
        await context.sample(
          { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 20 },
          { key: 'sampling' },
        );
      }
      if (context.canElicit) {
        await context.elicit(
          {
            message: 'Confirm?',
            requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
          },
          { key: 'elicitation' },
        );
      }
      return 'done';
    },
  }),
  // SEP-2575 (stateless 2026-07-28) diagnostics.
  defineTool({
    name: 'test_missing_capability',
    description: 'Needs sampling; refused with -32021 when the client did not declare it.',
    async execute(_args, context) {
      await context.sample({
        messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }],
        maxTokens: 5,
      });
      return 'sampled';
    },
  }),
  defineTool({
    name: 'test_streaming_elicitation',
    description: 'Reports progress, then asks the user (an input_required result on 2026-07-28).',
    async execute(_args, context) {
      await context.reportProgress({ progress: 1, total: 2 });
      const answer = await context.elicit({
        message: 'Your name?',
        requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
      });
      return `got ${answer.action}`;
    },
  }),
  // SEP-2575 list changes on subscription streams: these change the tool and prompt lists at run
  // time (each call adds, or removes again, one tool or prompt).
  defineTool({
    name: 'test_trigger_tool_change',
    description: 'Adds or removes test_dynamic_tool.',
    async execute() {
      if ((await publisher.ready()).some((tool) => tool.name === 'test_dynamic_tool')) {
        await publisher.removeTools(['test_dynamic_tool']);
        return 'removed test_dynamic_tool';
      }
      await publisher.addTools([
        defineTool({
          name: 'test_dynamic_tool',
          description: 'Added at run time.',
          execute: () => 'dynamic',
        }),
      ]);
      return 'added test_dynamic_tool';
    },
  }),
  defineTool({
    name: 'test_trigger_prompt_change',
    description: 'Adds or removes test_dynamic_prompt.',
    async execute() {
      try {
        await publisher.removePrompts(['test_dynamic_prompt']);
        return 'removed test_dynamic_prompt';
      } catch {
        await publisher.addPrompts([
          definePrompt({
            name: 'test_dynamic_prompt',
            description: 'Added at run time.',
            get: () => 'dynamic',
          }),
        ]);
        return 'added test_dynamic_prompt';
      }
    },
  }),
  // SEP-2243: `region` is mirrored into the Mcp-Param-Region header; a call whose header is
  // missing or disagrees with the body is refused with 400 / -32020.
  defineTool({
    name: 'test_header_param',
    description: 'Runs in a region named by an argument that clients mirror into a header.',
    inputSchema: {
      type: 'object',
      properties: { region: { type: 'string', description: 'Where to run', 'x-mcp-header': 'Region' } },
      required: ['region'],
    },
    execute: ({ region }) => `ran in ${region}`,
  }),
  // The Tasks extension (SEP-2663): task tools answer a client that declared
  // io.modelcontextprotocol/tasks with a task at once and run on.
  defineTool({
    name: 'greet',
    description: 'Greets someone (never a task).',
    inputSchema: z.object({ name: z.string() }),
    execute: ({ name }) => `Hello, ${name}!`,
  }),
  defineTool({
    name: 'slow_compute',
    description: 'Sleeps `seconds` seconds, then answers; runs as a task.',
    inputSchema: z.object({ seconds: z.number().min(0), label: z.string().optional() }),
    task: 'optional',
    async execute({ seconds, label }, context) {
      await sleepUnlessAborted(seconds * 1000, context.signal);
      return `Computed ${label ?? 'result'} after ${seconds}s`;
    },
  }),
  defineTool({
    name: 'failing_job',
    description: 'Fails with a tool execution error after about a second; task only.',
    task: 'required',
    async execute(_args, context) {
      await sleepUnlessAborted(1000, context.signal);
      throw new Error('failing_job failed, as it always does');
    },
  }),
  defineTool({
    name: 'protocol_error_job',
    description: 'Fails with a protocol-level error; runs as a task.',
    task: 'optional',
    async execute(_args, context) {
      await sleepUnlessAborted(100, context.signal);
      throw new ProtocolError(ProtocolErrorCode.InternalError, 'protocol_error_job hit an internal error');
    },
  }),
  defineTool({
    name: 'confirm_delete',
    description: 'Asks for a confirmation before deleting a file; runs as a task.',
    inputSchema: z.object({ filename: z.string() }),
    task: 'optional',
    async execute({ filename }, context) {
      const answer = await context.elicit({ message: `Delete ${filename}?`, requestedSchema: confirmSchema });
      return answer.action === 'accept' && answer.content?.confirm === true
        ? `Deleted ${filename}`
        : `Kept ${filename}`;
    },
  }),
  defineTool({
    name: 'multi_input',
    description: 'Asks two questions at once; runs as a task.',
    task: 'optional',
    async execute(_args, context) {
      const { first, second } = await context.input({
        first: ask.elicit({ message: 'First answer?', requestedSchema: confirmSchema }),
        second: ask.elicit({ message: 'Second answer?', requestedSchema: confirmSchema }),
      });
      return `first=${first.action}, second=${second.action}`;
    },
  }),
  // Gathers a name through a plain input_required round, then becomes a task.
  defineTool({
    name: 'test_tool_with_task',
    description: 'Asks for a name, then runs on as a task.',
    task: { support: 'required', start: 'explicit' },
    async execute(_args, context) {
      const answer = await context.elicit(
        {
          message: 'What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        { key: 'user_name' },
      );
      await context.startTask();
      await sleepUnlessAborted(200, context.signal);
      return `Hello, ${answer.content?.name ?? 'stranger'}, from a task!`;
    },
  }),
  defineTool({
    name: 'test_logging_tool',
    description: 'Logs; on 2026-07-28 nothing is sent unless the request set a log level.',
    async execute(_args, context) {
      await context.log('info', 'logging tool ran');
      return 'logged';
    },
  }),
];

const resources = [
  defineResource({
    uri: 'test://static-text',
    name: 'static-text',
    title: 'Static Text Resource',
    description: 'A static text resource for testing',
    mimeType: 'text/plain',
    read: () => 'This is the content of the static text resource.',
  }),
  defineResource({
    uri: 'test://static-binary',
    name: 'static-binary',
    title: 'Static Binary Resource',
    description: 'A static binary resource (image) for testing',
    mimeType: 'image/png',
    read: () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: IMAGE }] }),
  }),
  defineResource({
    uri: 'test://template/{id}/data',
    template: true,
    name: 'template',
    title: 'Resource Template',
    description: 'A resource template with parameter substitution',
    mimeType: 'application/json',
    read: (uri, { id }) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  }),
  defineResource({
    uri: 'test://watched-resource',
    name: 'watched-resource',
    title: 'Watched Resource',
    description: 'A resource clients may subscribe to',
    mimeType: 'text/plain',
    read: () => 'Watched resource content',
  }),
];

const prompts = [
  // Prompts get the same input API as tools (SEP-2322 on prompts/get).
  definePrompt({
    name: 'test_input_required_result_prompt',
    description: 'Asks the user what the prompt should be about.',
    async get(_args, context) {
      const answer = await context.elicit(
        {
          message: 'What context should the prompt use?',
          requestedSchema: {
            type: 'object',
            properties: { context: { type: 'string' } },
            required: ['context'],
          },
        },
        { key: 'user_context' },
      );
      return `Use this context: ${answer.content?.context ?? ''}`;
    },
  }),
  definePrompt({
    name: 'test_simple_prompt',
    title: 'Simple Test Prompt',
    description: 'A simple prompt without arguments',
    get: () => 'This is a simple prompt for testing.',
  }),
  definePrompt({
    name: 'test_prompt_with_arguments',
    title: 'Prompt With Arguments',
    description: 'A prompt with required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    get: ({ arg1, arg2 }) => `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`,
  }),
  definePrompt({
    name: 'test_prompt_with_embedded_resource',
    title: 'Prompt With Embedded Resource',
    description: 'A prompt that includes an embedded resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    get: ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  }),
  definePrompt({
    name: 'test_prompt_with_image',
    title: 'Prompt With Image',
    description: 'A prompt that includes image content',
    get: () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: IMAGE, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  }),
];

const subscriptions = new Set();

const publisher = createPublisher({
  name: 'toolwire-conformance-fixture',
  version: '1.0.0',
  tools,
  resources,
  prompts,
  extend(server, { era }) {
    server.server.registerCapabilities({ completions: {} });
    server.server.setRequestHandler('completion/complete', async () => ({
      completion: { values: [], total: 0, hasMore: false },
    }));
    if (era === 'legacy') {
      server.server.registerCapabilities({ resources: { subscribe: true } });
      server.server.setRequestHandler('resources/subscribe', async (request) => {
        subscriptions.add(request.params.uri);
        return {};
      });
      server.server.setRequestHandler('resources/unsubscribe', async (request) => {
        subscriptions.delete(request.params.uri);
        return {};
      });
    }
  },
  onError: (error) => process.stderr.write(`[fixture] ${error.message}\n`),
});

const { url } = await publisher.listen({ port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ url })}\n`);

const stop = async () => {
  await publisher.close({ drainMs: 2_000 });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
