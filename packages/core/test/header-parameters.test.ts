/**
 * SEP-2243 header parameters against our SDK v2 HTTP fixture at the 2026-07-28 wire: a tool's
 * `x-mcp-header` arguments reach the server in `Mcp-Param-*` headers as well (the server's SDK
 * rejects a call whose headers are missing or disagree with the body, so a successful call is
 * proof), and a value that cannot be mirrored is refused before anything is sent, as
 * `INVALID_ARGUMENTS` naming the argument and its header.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, InvalidArgumentsError, type Registry, silentLogger } from '../src/index.js';
import { type HttpFixtureServer, readEvents, startHttpFixture } from './support/fixture-servers.js';
import { createTempDir, type TempDir } from './support/temp-dir.js';

let dir: TempDir;
let http: HttpFixtureServer;
let registry: Registry;

beforeAll(async () => {
  dir = await createTempDir();
  http = await startHttpFixture({ name: 'edge', eventsFile: dir.file('events.jsonl'), headerTool: true });
  registry = await createRegistry({
    logger: silentLogger,
    cache: 'none',
    servers: { edge: { url: http.url, protocol: '2026-07-28' } },
  });
});

afterAll(async () => {
  await registry?.close();
  await http?.stop();
  await dir?.remove();
});

/** The `Mcp-Param-*` headers of each `tools/call` the fixture received. */
async function callHeaders(): Promise<Record<string, string>[]> {
  const events = await readEvents(dir.file('events.jsonl'));
  return events.filter((event) => event.rpc?.includes('tools/call')).map((event) => event.paramHeaders ?? {});
}

describe('SEP-2243 header parameters', () => {
  it('mirrors declared arguments into Mcp-Param-* headers, Base64 where a value is not plain ASCII', async () => {
    const result = await registry.callTool('edge__route', { region: 'Zürich ', priority: 7 });
    expect(result.isError).toBe(false);
    expect(result.text).toBe('routed to Zürich  at 7 priority');
    expect((await callHeaders()).at(-1)).toEqual({
      'mcp-param-region': `=?base64?${Buffer.from('Zürich ').toString('base64')}?=`,
      'mcp-param-priority': '7',
    });
  });

  it('leaves out the header of an argument that is not given', async () => {
    const result = await registry.callTool('edge__route', { region: 'eu-west' });
    expect(result.text).toBe('routed to eu-west at default priority');
    expect((await callHeaders()).at(-1)).toEqual({ 'mcp-param-region': 'eu-west' });
  });

  it('refuses a value it cannot mirror exactly before sending anything, naming argument and header', async () => {
    const sent = (await callHeaders()).length;
    const error = await registry
      .callTool('edge__route', { region: 'eu-west', priority: 2 ** 60 }, { validate: false })
      .catch((caught: unknown) => caught);
    expect(InvalidArgumentsError.isInstance(error)).toBe(true);
    const issue = (error as InvalidArgumentsError).issues[0];
    expect(issue).toMatchObject({ pathText: 'priority', keyword: 'x-mcp-header' });
    expect(issue?.message).toMatch(/Mcp-Param-Priority header .*beyond/);
    expect((await callHeaders()).length).toBe(sent);
  });
});
