import { describe, expect, it } from 'vitest';
import type { NamingOptions } from '../config/parse-config.js';
import { assignToolNames, MAX_TOOL_NAME_LENGTH, type NamingServer, sanitize } from './tool-naming.js';

const SAFE = /^[a-zA-Z0-9_-]{1,64}$/;

function names(
  servers: NamingServer[],
  prefix: Required<NamingOptions>['prefix'] = 'always',
  separator = '__',
): Record<string, Record<string, string>> {
  const assignment = assignToolNames(servers, { prefix, separator });
  return Object.fromEntries([...assignment].map(([server, tools]) => [server, Object.fromEntries(tools)]));
}

const server = (name: string, tools: string[], toolPrefix?: string | false): NamingServer => ({
  server: name,
  toolPrefix,
  tools,
});

describe('assignToolNames', () => {
  it("prefixes every tool with its server under 'always' (the default)", () => {
    expect(names([server('weather', ['forecast']), server('files', ['read', 'forecast'])])).toEqual({
      weather: { forecast: 'weather__forecast' },
      files: { read: 'files__read', forecast: 'files__forecast' },
    });
  });

  it("prefixes only the colliding tools under 'on-collision'", () => {
    expect(
      names([server('a', ['search', 'only_a']), server('b', ['search', 'only_b'])], 'on-collision'),
    ).toEqual({
      a: { search: 'a__search', only_a: 'only_a' },
      b: { search: 'b__search', only_b: 'only_b' },
    });
  });

  it("adds a numbered suffix, never a prefix, to collisions under 'never'", () => {
    expect(
      names([server('a', ['search']), server('b', ['search']), server('c', ['search'])], 'never'),
    ).toEqual({
      a: { search: 'search' },
      b: { search: 'search_2' },
      c: { search: 'search_3' },
    });
  });

  it('resolves collisions created by sanitizing, under every policy', () => {
    for (const policy of ['always', 'on-collision', 'never'] as const) {
      const result = names([server('a', ['get.item', 'get_item'])], policy);
      const exposed = Object.values(result.a ?? {});
      expect(new Set(exposed).size, policy).toBe(2);
      for (const name of exposed) expect(name).toMatch(SAFE);
    }
    // Two servers whose names sanitize alike still get distinct tool names.
    const result = names([server('my.server', ['x']), server('my server', ['x'])]);
    expect(result).toEqual({ 'my.server': { x: 'my_server__x' }, 'my server': { x: 'my_server__x_2' } });
  });

  it('honours a per-server toolPrefix over the policy', () => {
    expect(
      names([server('github-enterprise', ['search'], 'gh'), server('local', ['search'], false)], 'always'),
    ).toEqual({ 'github-enterprise': { search: 'gh__search' }, local: { search: 'search' } });
    expect(names([server('a', ['x'], 'pre'), server('b', ['x'])], 'never')).toEqual({
      a: { x: 'pre__x' },
      b: { x: 'x' },
    });
  });

  it('uses the configured separator', () => {
    expect(names([server('a', ['x'])], 'always', '-')).toEqual({ a: { x: 'a-x' } });
  });

  it('replaces characters providers reject', () => {
    const result = names([server('météo', ['prévision du jour', 'a/b:c', ''])]);
    expect(result).toEqual({
      météo: { 'prévision du jour': 'm_t_o__pr_vision_du_jour', 'a/b:c': 'm_t_o__a_b_c', '': 'm_t_o__tool' },
    });
    expect(sanitize('')).toBe('tool');
  });

  it('keeps names within 64 characters, unique and safe', () => {
    const long = 'x'.repeat(80);
    const result = names([server('a'.repeat(40), [`${long}_one`, `${long}_two`, 'short'])]);
    const exposed = Object.values(result['a'.repeat(40)] ?? {});
    expect(new Set(exposed).size).toBe(3);
    for (const name of exposed) {
      expect(name).toMatch(SAFE);
      expect(name.length).toBeLessThanOrEqual(MAX_TOOL_NAME_LENGTH);
    }
    expect(exposed[2]).toBe(`${'a'.repeat(40)}__short`);
  });

  it('is deterministic: same servers, same names', () => {
    const input = [
      server('a', ['search', 'x'.repeat(90), 'get.item', 'get_item']),
      server('b', ['search', 'x'.repeat(90)]),
    ];
    for (const policy of ['always', 'on-collision', 'never'] as const) {
      expect(names(input, policy)).toEqual(names(structuredClone(input), policy));
    }
  });

  it('never hands out a reserved name', () => {
    const assignment = assignToolNames(
      [server('a', ['x'])],
      { prefix: 'always', separator: '__' },
      new Set(['a__x']),
    );
    expect(assignment.get('a')?.get('x')).toBe('a__x_2');
  });

  it('ignores a tool listed twice by the same server', () => {
    expect(names([server('a', ['x', 'x'])])).toEqual({ a: { x: 'a__x' } });
  });
});

describe('assignToolNames: no server occupies another server’s names', () => {
  it("prefixes a tool whose own name imitates another server's prefix, in every mode", () => {
    for (const policy of ['always', 'on-collision', 'never'] as const) {
      const result = names(
        [server('alpha', ['beta__delete_all', 'search']), server('beta', ['delete_all', 'search'])],
        policy,
      );
      expect(result.alpha?.beta__delete_all, policy).toBe('alpha__beta__delete_all');
      const betaNames = Object.values(result.beta ?? {});
      expect(betaNames, policy).not.toContain('alpha__beta__delete_all');
    }
    // A per-server `toolPrefix: false` does not let an imitation through either.
    expect(names([server('alpha', ['beta__x'], false), server('beta', ['x'])]).alpha).toEqual({
      beta__x: 'alpha__beta__x',
    });
  });

  it("never pushes another server's tool aside by coming first in the config", () => {
    // alpha is configured first and lists `beta__search`: beta's own `search` still gets `beta__search`.
    const result = names(
      [server('alpha', ['beta__search', 'search']), server('beta', ['search'])],
      'on-collision',
    );
    expect(result).toEqual({
      alpha: { beta__search: 'alpha__beta__search', search: 'alpha__search' },
      beta: { search: 'beta__search' },
    });
  });

  it('gives a name that reads as server Y’s to Y, when one server name extends another', () => {
    // `a` + `b__c` and `a__b` + `c` both make `a__b__c`; it reads as a__b's, whoever comes first.
    const result = names([server('a', ['b__c']), server('a__b', ['c'])]);
    expect(result).toEqual({ a: { b__c: 'a__b__c_2' }, a__b: { c: 'a__b__c' } });
  });

  it('honours a custom separator and toolPrefix when telling imitations apart', () => {
    const result = names(
      [server('one', ['gh-issues', 'one-thing']), server('github', ['issues'], 'gh')],
      'on-collision',
      '-',
    );
    expect(result).toEqual({
      one: { 'gh-issues': 'one-gh-issues', 'one-thing': 'one-thing' },
      github: { issues: 'gh-issues' },
    });
  });
});
