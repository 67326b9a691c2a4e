import { describe, expect, it } from 'vitest';
import type { ConfigIssue } from '../errors/config-error.js';
import { expandEnv } from './expand-env.js';

function expand(value: unknown, env: Record<string, string | undefined>) {
  const issues: ConfigIssue[] = [];
  const result = expandEnv(value, env, issues, ['mcpServers', 'api']);
  return { result, issues };
}

describe('expandEnv', () => {
  it('expands ${VAR}, ${env:VAR} and several variables in one string', () => {
    const { result, issues } = expand(
      { url: 'https://${HOST}:${env:PORT}/mcp', header: 'Bearer ${TOKEN}' },
      { HOST: 'example.com', PORT: '8443', TOKEN: 't0k' },
    );
    expect(result).toEqual({ url: 'https://example.com:8443/mcp', header: 'Bearer t0k' });
    expect(issues).toEqual([]);
  });

  it('uses the fallback of ${VAR:-fallback} when the variable is unset or empty', () => {
    const { result } = expand(
      { a: '${MISSING:-none}', b: '${EMPTY:-default}', c: '${SET:-unused}', d: '${X:-}' },
      {
        EMPTY: '',
        SET: 'value',
      },
    );
    expect(result).toEqual({ a: 'none', b: 'default', c: 'value', d: '' });
  });

  it('keeps $${ as a literal ${ and leaves text that is not a reference alone', () => {
    const { result, issues } = expand(['$${HOME}', 'cost: $5', '${1BAD}', '${UNCLOSED', 'plain'], {});
    expect(result).toEqual(['${HOME}', 'cost: $5', '${1BAD}', '${UNCLOSED', 'plain']);
    expect(issues).toEqual([]);
  });

  it('reports every unset variable at its path, without any value', () => {
    const { result, issues } = expand(
      { args: ['--key', '${API_KEY}'], env: { SECRET: '${SECRET}', OTHER: 'prefix-${TOKEN}' } },
      { TOKEN: 'super-secret-token' },
    );
    expect(issues).toEqual([
      { path: 'mcpServers.api.args[1]', message: expect.stringContaining('API_KEY is not set') },
      { path: 'mcpServers.api.env.SECRET', message: expect.stringContaining('SECRET is not set') },
    ]);
    expect(JSON.stringify(issues)).not.toContain('super-secret-token');
    expect(result).toMatchObject({ env: { OTHER: 'prefix-super-secret-token' } });
  });

  it('copies plain objects and arrays, and keeps functions and class instances as they are', () => {
    const headers = () => ({ Authorization: 'x' });
    const url = new URL('https://example.com/${NOT_EXPANDED}');
    const input = { headers, url, nested: { list: ['${A}'] }, count: 3, flag: true, none: null };
    const { result } = expand(input, { A: 'a' });
    expect(result).toEqual({ headers, url, nested: { list: ['a'] }, count: 3, flag: true, none: null });
    expect((result as typeof input).headers).toBe(headers);
    expect((result as typeof input).url).toBe(url);
    expect(input.nested.list).toEqual(['${A}']);
  });
});
