/**
 * A server's tool schemas are input from a stranger: a catastrophic regex pattern, a schema that
 * refers to itself, or a megabyte enum must never freeze the host process, fail every call with
 * a stack overflow, or flood the model and `stats()` with megabytes of text. Each server here is
 * the real listed-tools fixture over stdio, listing exactly the schema under test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistry,
  InvalidArgumentsError,
  type Logger,
  type Registry,
  ToolwireError,
} from '../src/index.js';
import {
  createTempDir,
  listedToolsStdio,
  nativeRegExpSources,
  readListedCalls,
  type TempDir,
} from './support/index.js';

/** 28 characters make `^(a+)+$` backtrack for tens of seconds in a backtracking engine. */
const CATASTROPHIC_INPUT = `${'a'.repeat(28)}!`;
const bigEnum = Array.from({ length: 100_000 }, (_, index) => `allowed-value-${index}`);

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as Error,
  );
}

/** The catastrophic pattern, as a native RegExp would report its `source`. */
const CATASTROPHIC_PATTERN = '^(a+)+$';

describe('hostile tool schemas', () => {
  let dir: TempDir;
  let registry: Registry;
  const warnings: string[] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn: (message) => warnings.push(message),
    error: (message) => warnings.push(message),
  };
  const calls = () => readListedCalls(dir.file('calls.jsonl'));

  beforeAll(async () => {
    dir = await createTempDir();
    registry = await createRegistry({
      servers: {
        hostile: listedToolsStdio({
          name: 'hostile',
          directory: dir.path,
          eventsFile: dir.file('calls.jsonl'),
          tools: [
            {
              name: 'match',
              description: 'A pattern a backtracking engine takes minutes over.',
              inputSchema: {
                type: 'object',
                properties: { text: { type: 'string', pattern: '^(a+)+$' } },
                patternProperties: { '^(b+)+$': { type: 'string' } },
                additionalProperties: false,
              },
            },
            { name: 'loop', description: 'Refers to itself.', inputSchema: { type: 'object', $ref: '#' } },
            {
              name: 'spin',
              description: 'A property that refers to itself in place.',
              inputSchema: {
                type: 'object',
                properties: { value: { anyOf: [{ $ref: '#/properties/value' }, { type: 'string' }] } },
              },
            },
            {
              name: 'lookahead',
              description: 'A pattern only a backtracking engine can run.',
              inputSchema: {
                type: 'object',
                properties: { code: { type: 'string', pattern: '^(?=[A-Z])\\w+$' } },
              },
            },
            {
              name: 'pick',
              description: 'A megabyte enum.',
              inputSchema: {
                type: 'object',
                properties: {
                  unit: { enum: bigEnum },
                  units: { type: 'array', items: { enum: bigEnum } },
                },
              },
            },
            {
              name: 'explode',
              description: 'Fails with megabytes of text.',
              inputSchema: { type: 'object' },
            },
          ],
          errorTexts: { explode: { text: 'boom ', repeat: 1_000_000 } },
        }),
      },
      cache: 'none',
      logger,
    });
  });

  afterAll(async () => {
    await registry?.close();
    await dir?.remove();
  });

  it('runs patterns in linear time: a catastrophic pattern never reaches the backtracking engine', async () => {
    const { value: error, sources } = await nativeRegExpSources(() =>
      rejection(registry.callTool('hostile__match', { text: CATASTROPHIC_INPUT })),
    );
    expect(InvalidArgumentsError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentsError).issues).toMatchObject([{ pathText: 'text', keyword: 'pattern' }]);
    // JavaScript's engine backtracks for tens of seconds on this input; the linear one never does.
    expect(sources).not.toContain(CATASTROPHIC_PATTERN);
    const accepted = await registry.callTool('hostile__match', { text: 'aaaa' });
    expect(accepted.isError).toBe(false);
  });

  it('runs patternProperties in linear time too', async () => {
    // Property names are matched a little faster; 29 characters stall a backtracking engine as long.
    const key = `${'b'.repeat(29)}!`;
    const { value: error, sources } = await nativeRegExpSources(() =>
      rejection(registry.callTool('hostile__match', { [key]: 'x' })),
    );
    expect((error as InvalidArgumentsError).issues).toMatchObject([
      { keyword: 'additionalProperties', message: 'is not an allowed property' },
    ]);
    expect(sources).not.toContain('^(b+)+$');
    await registry.callTool('hostile__match', { bbb: 'x' });
    expect(calls().some((call) => call.tool === 'match' && 'bbb' in call.arguments)).toBe(true);
  });

  it('treats a self-referencing schema as one that cannot compile: the call goes through, one warning', async () => {
    const first = await registry.callTool('hostile__loop', { anything: 1 });
    const second = await registry.callTool('hostile__loop', { anything: 2 });
    expect([first.isError, second.isError]).toEqual([false, false]);
    expect(calls().filter((call) => call.tool === 'loop')).toHaveLength(2);
    const spin = await registry.callTool('hostile__spin', { value: 'x' });
    expect(spin.isError).toBe(false);
    const about = (tool: string) => warnings.filter((warning) => warning.includes(`"hostile__${tool}"`));
    expect(about('loop')).toHaveLength(1);
    expect(about('loop')[0]).toMatch(/refers to itself/);
    expect(about('spin')).toHaveLength(1);
    expect(about('spin')[0]).toContain('value');
  });

  it('treats a pattern the linear-time engine cannot run as a schema that cannot compile, with a warning', async () => {
    const result = await registry.callTool('hostile__lookahead', { code: 'lower' });
    expect(result.isError).toBe(false);
    expect(warnings.filter((warning) => warning.includes('"hostile__lookahead"'))).toEqual([
      expect.stringMatching(/pattern .*lookaround or backreference/),
    ]);
  });

  it('summarizes a megabyte enum and caps the number of listed problems', async () => {
    const single = await rejection(registry.callTool('hostile__pick', { unit: 'nope' }));
    expect(InvalidArgumentsError.isInstance(single)).toBe(true);
    const [issue] = (single as InvalidArgumentsError).issues;
    expect(issue).toMatchObject({ pathText: 'unit', keyword: 'enum' });
    expect(issue?.message).toMatch(/^must be one of 100000 allowed values, such as "allowed-value-0"/);
    expect(issue?.message.length).toBeLessThanOrEqual(300);
    expect(single.message.length).toBeLessThan(1_000);

    const units = Array.from({ length: 500 }, (_, index) => `wrong-${index}`);
    const many = (await rejection(registry.callTool('hostile__pick', { units }))) as InvalidArgumentsError;
    expect(many.message.length).toBeLessThanOrEqual(4_000);
    expect(many.message).toContain('units[0]: must be one of 100000 allowed values');
    expect(many.message).toMatch(/… and \d+ more problems/);
    expect(many.issues.length).toBeLessThanOrEqual(50);
    expect(many.issueCount).toBe(500);
    expect(JSON.stringify(registry.stats()).length).toBeLessThan(20_000);
  });

  it("keeps a bounded excerpt of a tool's error text in stats()", async () => {
    const result = await registry.callTool('hostile__explode', {});
    expect(result.isError).toBe(true);
    expect(result.text.length).toBe(5_000_000);
    const stats = registry.stats().byTool.hostile__explode;
    expect(stats?.errors).toBe(1);
    expect(stats?.lastError?.code).toBe('TOOL_ERROR');
    expect(stats?.lastError?.message.startsWith('boom boom')).toBe(true);
    expect(stats?.lastError?.message.length).toBeLessThanOrEqual(1_000);
    expect(JSON.stringify(registry.stats()).length).toBeLessThan(20_000);
  });

  it('never reports a hostile schema as INTERNAL', async () => {
    for (const [tool, args] of [
      ['loop', {}],
      ['spin', { value: 1 }],
      ['match', { text: 'b' }],
    ] as const) {
      const outcome = await registry.callTool(`hostile__${tool}`, args).catch((error: unknown) => error);
      if (ToolwireError.isInstance(outcome)) expect(outcome.code, tool).not.toBe('INTERNAL');
    }
  });
});

describe('hostile output schemas', () => {
  it("checks a result's structuredContent in linear time: a catastrophic outputSchema pattern never reaches the backtracking engine", async () => {
    await using dir = await createTempDir();
    await using registry = await createRegistry({
      servers: {
        hostile: listedToolsStdio({
          name: 'hostile',
          directory: dir.path,
          tools: [
            {
              name: 'report',
              description:
                'Its result is checked against a pattern a backtracking engine takes minutes over.',
              inputSchema: { type: 'object' },
              outputSchema: {
                type: 'object',
                properties: { text: { type: 'string', pattern: '^(a+)+$' } },
              },
            },
          ],
          structuredResults: { report: { text: CATASTROPHIC_INPUT } },
        }),
      },
      cache: 'none',
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const { value: outcome, sources } = await nativeRegExpSources(() =>
      registry.callTool('hostile__report', {}).catch((error: unknown) => error),
    );
    expect(sources).not.toContain(CATASTROPHIC_PATTERN);
    // The result does not match its own output schema: the SDK's check refuses it, promptly.
    expect(ToolwireError.isInstance(outcome)).toBe(true);
  });
});
