/**
 * Selecting tools by registry name or glob (what every adapter's `include`/`exclude` relies on),
 * and `requireTool`, which adapters use to wrap one tool with the registry's own errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, type Registry, ToolNotFoundError, ToolwireError } from '../src/index.js';
import { fixtureStdio } from './support/fixture-servers.js';

let registry: Registry;

beforeAll(async () => {
  registry = await createRegistry({
    mcpServers: {
      alpha: fixtureStdio({ name: 'alpha' }),
      beta: fixtureStdio({ name: 'beta' }, { disabledTools: ['crash'] }),
    },
    cache: 'memory',
  });
});

afterAll(async () => {
  await registry.close();
});

describe('registry.tools({ include, exclude })', () => {
  it('keeps exact names and globs, and applies exclude after include', () => {
    const names = registry
      .tools({ include: ['alpha__*', 'beta__echo'], exclude: ['alpha__s?eep', 'alpha__crash'] })
      .map((tool) => tool.name);
    expect(names).toEqual(['alpha__echo', 'alpha__fail', 'alpha__add_tool', 'beta__echo']);
  });

  it('combines with the server filter and never returns disabled tools unless asked', () => {
    expect(registry.tools({ server: 'beta', include: ['*crash*'] })).toEqual([]);
    expect(
      registry
        .tools({ server: 'beta', include: ['*crash*'], includeDisabled: true })
        .map((tool) => tool.name),
    ).toEqual(['beta__crash']);
  });
});

describe('registry.requireTool', () => {
  it('returns a callable tool', () => {
    expect(registry.requireTool('alpha__echo').serverToolName).toBe('echo');
  });

  it('names close matches for an unknown tool, and refuses a disabled one', () => {
    let notFound: unknown;
    try {
      registry.requireTool('echo');
    } catch (error) {
      notFound = error;
    }
    expect(ToolNotFoundError.isInstance(notFound) && notFound.suggestions).toEqual([
      'alpha__echo',
      'beta__echo',
    ]);
    expect(() => registry.requireTool('beta__crash')).toThrow(
      expect.objectContaining({ code: 'TOOL_DISABLED' }),
    );
    expect(ToolwireError.isInstance(notFound)).toBe(true);
  });
});
