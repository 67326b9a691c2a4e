/**
 * Discovery over a large catalogue: 300+ tools from the three reference servers (stdio) and 28
 * generated servers on loopback (Streamable HTTP). A first registry fills the schema cache; a
 * second, lazy one answers written queries from that cache alone. The proof that nothing was
 * connected is outside the registry: the generated servers count every request they get, and
 * the reference servers record every process start.
 *
 * Queries are phrased the way a person or an agent asks, not in the tools' own words. The bar:
 * the right tool is among the first three results for every query (an agent's `search_tools`
 * shows it five), and first for at least 80 % of them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemorySchemaCache, createRegistry, type Registry, silentLogger } from '../src/index.js';
import {
  type CatalogueServers,
  catalogueToolCount,
  fixtureStdio,
  recordedReferenceServers,
  recordedStarts,
  startCatalogueServers,
} from './support/index.js';

/** Written queries and the tool each one means. */
const queries: readonly (readonly [query: string, expected: string])[] = [
  ['open a pull request on github', 'github__create_pull_request'],
  ['what will the weather be like in Oslo this weekend', 'weather__get_forecast'],
  ["refund a customer's payment", 'billing__create_refund'],
  ['read the contents of a text file from disk', 'files__read_text_file'],
  ['add two numbers', 'everything__get-sum'],
  ['find a time when Alice and Bob are both free to meet', 'calendar__find_free_slots'],
  ['post a message in a slack channel', 'slack__post_message'],
  ['convert an address to latitude and longitude', 'maps__geocode_address'],
  ['show logs of a crashing kubernetes pod', 'kubernetes__get_pod_logs'],
  ['who is on call right now', 'pagerduty__get_oncall'],
  ['cancel my subscription', 'billing__cancel_subscription'],
  ['why is this SQL query slow', 'postgres__explain_query'],
  ['request vacation days', 'hr__request_time_off'],
  ['translate this paragraph into French', 'translate__translate_text'],
  ['send a text message to a phone number', 'twilio__send_sms'],
  ['add new facts to an existing entity in the knowledge graph', 'memory__add_observations'],
  ['create a gitlab merge request', 'gitlab__create_merge_request'],
  ['file a bug in jira', 'jira__create_issue'],
  ['share a google doc with a colleague', 'drive__share_file'],
  ['purge the CDN cache', 'cloudflare__purge_cache'],
  ['roll back the last deployment', 'kubernetes__rollout_undo'],
  ['temporary download link for a file in a bucket', 'storage__create_presigned_url'],
  ['mark the sentry error as resolved', 'sentry__resolve_issue'],
  ['email the invoice to the customer', 'billing__send_invoice'],
  ['move a file to another directory', 'files__move_file'],
  ['how many people are on the website right now', 'analytics__get_realtime_users'],
];

let scratch: string;
let catalogue: CatalogueServers;
let servers: Record<string, object>;
let startLog: string;
/** Shared by the warm-up and the lazy registry (as a Redis store would be by a fleet). */
const cache = createMemorySchemaCache();
let warmToolNames: string[];
let requestsAfterWarmUp: Record<string, number>;
let startsAfterWarmUp: string[];
let lazy: Registry;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'toolwire-search-'));
  startLog = join(scratch, 'starts.jsonl');
  catalogue = await startCatalogueServers();
  servers = { ...recordedReferenceServers(scratch, startLog), ...catalogue.entries() };

  // A first, eager start connects everything and fills the cache.
  const warm = await createRegistry({
    mcpServers: servers,
    cache,
    logger: silentLogger,
  });
  expect(warm.servers().filter((server) => server.status !== 'active')).toEqual([]);
  warmToolNames = warm.tools().map((tool) => tool.name);
  await warm.close();
  requestsAfterWarmUp = await catalogue.requests();
  startsAfterWarmUp = recordedStarts(startLog);
  expect(startsAfterWarmUp.sort()).toEqual(['everything', 'files', 'memory']);

  lazy = await createRegistry({
    mcpServers: servers,
    cache,
    loading: 'lazy',
    logger: silentLogger,
  });
}, 120_000);

afterAll(async () => {
  await lazy?.close();
  await catalogue?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('registry.search() over 300+ tools', () => {
  it('finds the tool each written query means, from the cache, connecting nothing', async () => {
    expect(warmToolNames.length).toBeGreaterThanOrEqual(300);
    expect(catalogueToolCount).toBeGreaterThan(250);
    expect(lazy.tools().map((tool) => tool.name)).toEqual(warmToolNames);
    expect(queries.length).toBeGreaterThanOrEqual(20);

    const outcomes = queries.map(([query, expected]) => {
      const results = lazy.search(query, { limit: 5 });
      return { query, expected, rank: results.findIndex((result) => result.tool.name === expected), results };
    });

    const missed = outcomes
      .filter((outcome) => outcome.rank < 0 || outcome.rank > 2)
      .map(
        (outcome) =>
          `${outcome.query} → ${outcome.results.map((result) => result.tool.name).join(', ')} (wanted ${outcome.expected})`,
      );
    expect(missed).toEqual([]);
    const firsts = outcomes.filter((outcome) => outcome.rank === 0).length;
    expect(firsts / outcomes.length).toBeGreaterThanOrEqual(0.8);

    // Nothing was connected, neither by the lazy start nor by the searches: not one request
    // reached a generated server, no reference server process started, and the registry agrees.
    expect(await catalogue.requests()).toEqual(requestsAfterWarmUp);
    expect(recordedStarts(startLog).sort()).toEqual(startsAfterWarmUp);
    for (const server of lazy.servers()) {
      expect([server.name, server.status, server.connections, server.toolsSource]).toEqual([
        server.name,
        'discovered',
        0,
        'cache',
      ]);
    }
  });

  it('returns tool info with a score, best first, and honours limit', () => {
    const results = lazy.search('create an issue', { limit: 4 });
    expect(results).toHaveLength(4);
    for (const result of results) {
      expect(result.tool.inputSchema).toMatchObject({ type: 'object' });
      expect(result.tool.status).toBe('discovered');
      expect(result.score).toBeGreaterThan(0);
      expect(result.matched.length).toBeGreaterThan(0);
    }
    const scores = results.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((left, right) => right - left));
    expect(lazy.search('create an issue', { limit: Number.POSITIVE_INFINITY }).length).toBeGreaterThan(4);
    expect(() => lazy.search('x', { limit: 0 })).toThrow(/limit must be a positive whole number/);
    expect(() => lazy.search('x', { limit: 2.5 })).toThrow(/limit/);
  });

  it('narrows by server and by name pattern, like get_discovery_info(filter_pattern)', () => {
    const inJira = lazy.search('create an issue', { server: 'jira' });
    expect(inJira[0]?.tool.name).toBe('jira__create_issue');
    expect(new Set(inJira.map((result) => result.tool.server))).toEqual(new Set(['jira']));

    const trackers = lazy.search('create an issue', { server: ['github', 'lin*'], limit: 3 });
    expect(trackers.map((result) => result.tool.name).sort()).toContain('linear__create_issue');
    expect(trackers.every((result) => ['github', 'linear'].includes(result.tool.server))).toBe(true);

    // A pattern matches the registry name or the server's own name.
    const deletes = lazy.search('', { pattern: 'delete_*', limit: Number.POSITIVE_INFINITY });
    expect(deletes.length).toBeGreaterThan(5);
    expect(deletes.every((result) => result.tool.serverToolName.startsWith('delete_'))).toBe(true);
    expect(deletes.every((result) => result.score === 0)).toBe(true);

    // A query that is a glob filters by name, in catalogue order.
    const slack = lazy.search('slack__*', { limit: Number.POSITIVE_INFINITY });
    expect(slack.map((result) => result.tool.name)).toEqual(
      lazy.tools({ server: 'slack' }).map((tool) => tool.name),
    );

    // Free text and a pattern together: ranked, within the pattern.
    const ranked = lazy.search('message', { pattern: '*send*' });
    expect(ranked[0]?.tool.name).toMatch(/send/);
    expect(ranked.every((result) => /send/.test(result.tool.name))).toBe(true);
  });

  it('puts a tool first when the query is its name, in any spelling', () => {
    for (const query of ['get_forecast', 'weather__get_forecast', 'getForecast', 'get-forecast']) {
      expect(lazy.search(query)[0]?.tool.name).toBe('weather__get_forecast');
    }
  });

  it('leaves disabled tools out unless asked', async () => {
    lazy.disableTool('twilio__send_sms');
    try {
      expect(lazy.search('send an sms').map((result) => result.tool.name)).not.toContain('twilio__send_sms');
      const withDisabled = lazy.search('send an sms', { includeDisabled: true });
      expect(withDisabled[0]?.tool).toMatchObject({ name: 'twilio__send_sms', status: 'disabled' });
    } finally {
      lazy.enableTool('twilio__send_sms');
    }
    expect(lazy.search('send an sms')[0]?.tool.name).toBe('twilio__send_sms');
  });

  it('follows the catalogue: a disabled server drops out, a tool added at run time shows up', async () => {
    const registry = await createRegistry({
      mcpServers: {
        twilio: catalogue.entries().twilio!,
        fixture: fixtureStdio(),
      },
      cache: 'none',
      logger: silentLogger,
    });
    try {
      expect(registry.search('send an sms')[0]?.tool.name).toBe('twilio__send_sms');
      await registry.disableServer('twilio');
      expect(registry.search('send an sms').some((result) => result.tool.server === 'twilio')).toBe(false);
      registry.enableServer('twilio');
      expect(registry.search('send an sms')[0]?.tool.name).toBe('twilio__send_sms');

      expect(registry.search('teleport quantum state')).toEqual([]);
      const changed = new Promise((resolve) => registry.on('tools:changed', resolve));
      await registry.callTool('fixture__add_tool', { name: 'teleport_quantum_state' });
      await changed;
      expect(registry.search('teleport quantum state')[0]?.tool.name).toBe('fixture__teleport_quantum_state');
    } finally {
      await registry.close();
    }
  });
});
