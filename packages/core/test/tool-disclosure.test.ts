/**
 * The framework-independent half of progressive disclosure, against the generated catalogue
 * servers: what the discovery tool answers, and which tools stay offered as a conversation
 * finds and uses tools (least recently found or used drop out first, within the cap).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, createToolDisclosure, type Registry, silentLogger } from '../src/index.js';
import { type CatalogueServers, startCatalogueServers } from './support/index.js';

let catalogue: CatalogueServers;
let registry: Registry;

beforeAll(async () => {
  catalogue = await startCatalogueServers();
  registry = await createRegistry({ mcpServers: catalogue.entries(), cache: 'none', logger: silentLogger });
}, 60_000);

afterAll(async () => {
  await registry?.close();
  await catalogue?.stop();
});

describe('createToolDisclosure', () => {
  it('answers a search with the tools found, their parameters, and what to do next', () => {
    const disclosure = createToolDisclosure(registry, { searchLimit: 3 });
    const output = disclosure.search({ query: 'open a pull request on github' });
    expect(output.found[0]).toBe('github__create_pull_request');
    expect(output.found).toHaveLength(3);
    expect(output.tools[0]).toMatchObject({
      name: 'github__create_pull_request',
      server: 'github',
      required: ['owner', 'repo', 'title', 'head', 'base'],
    });
    expect(output.tools[0]!.parameters.slice(0, 5)).toEqual(['owner', 'repo', 'title', 'head', 'base']);
    expect(output.tools[0]!.parameters).toContain('draft');
    expect(output.message).toMatch(/call them from your next step/);

    expect(disclosure.search({ query: 'create an issue', server: 'jira' }).found[0]).toBe(
      'jira__create_issue',
    );
    expect(disclosure.search({ query: 'x', server: 'nope' }).message).toMatch(/No server named "nope"/);
    expect(disclosure.search({}).message).toMatch(/needs a "query"/);
    expect(disclosure.search({ query: 'xylophone quartet' })).toMatchObject({ found: [], tools: [] });
    expect(disclosure.search({ query: 'send a message', limit: 99 }).found).toHaveLength(3);
    expect(disclosure.foundIn(JSON.stringify(output))).toEqual(output.found);
    expect(disclosure.foundIn(output)).toEqual(output.found);
    expect(disclosure.foundIn('not json')).toEqual([]);
  });

  it('describes itself with the catalogue size and servers, and a schema the model fills', () => {
    const disclosure = createToolDisclosure(registry, { maxActiveTools: 4 });
    expect(disclosure.searchToolName).toBe('search_tools');
    expect(disclosure.searchToolDescription).toContain(`${registry.tools().length} tools`);
    expect(disclosure.searchToolDescription).toContain('github, gitlab, jira');
    expect(disclosure.searchToolDescription).toContain('the 4 most recently found or used');
    expect(disclosure.searchToolInputSchema).toMatchObject({ required: ['query'] });
  });

  it('keeps the most recently found or used tools within the cap', () => {
    const disclosure = createToolDisclosure(registry, {
      maxActiveTools: 3,
      alwaysActive: ['weather__get_forecast'],
    });
    expect(disclosure.activeTools([])).toEqual(['weather__get_forecast']);
    const found = disclosure.search({ query: 'send a text message to a phone number', limit: 3 }).found;
    expect(found).toEqual(['twilio__send_sms', 'twilio__send_whatsapp_message', 'twilio__make_call']);
    expect(disclosure.activeTools([{ type: 'found', tools: found }])).toEqual([
      'weather__get_forecast',
      ...found,
    ]);

    // Using one keeps it; a new search pushes out the least recently found or used.
    const history = [
      { type: 'found' as const, tools: found },
      { type: 'used' as const, tool: 'twilio__make_call' },
      { type: 'found' as const, tools: ['slack__post_message'] },
      { type: 'found' as const, tools: ['gmail__send_email'] },
    ];
    expect(disclosure.activeTools(history)).toEqual([
      'weather__get_forecast',
      'gmail__send_email',
      'slack__post_message',
      'twilio__make_call',
    ]);
    // Unknown, disabled and the discovery tool itself never count.
    registry.disableTool('gmail__send_email');
    try {
      expect(
        disclosure.activeTools([
          ...history,
          { type: 'used', tool: 'search_tools' },
          { type: 'used', tool: 'made_up_tool' },
        ]),
      ).toEqual(['weather__get_forecast', 'slack__post_message', 'twilio__make_call', 'twilio__send_sms']);
    } finally {
      registry.enableTool('gmail__send_email');
    }
  });

  it('honours a filter for what can be found', () => {
    const disclosure = createToolDisclosure(registry, { filter: (tool) => tool.server !== 'twilio' });
    const found = disclosure.search({ query: 'send a text message to a phone number' }).found;
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((name) => name.startsWith('twilio__'))).toBe(false);
    expect(disclosure.activeTools([{ type: 'used', tool: 'twilio__send_sms' }])).toEqual([]);
  });

  it('rejects bad options with clear errors', () => {
    expect(() => createToolDisclosure(registry, { maxActiveTools: 0 })).toThrow(
      /maxActiveTools: expected a positive whole number/,
    );
    expect(() => createToolDisclosure(registry, { alwaysActive: ['weather__forecast'] })).toThrow(
      expect.objectContaining({
        code: 'TOOL_NOT_FOUND',
        message: expect.stringContaining('weather__get_forecast'),
      }),
    );
    expect(() => createToolDisclosure(registry, { searchToolName: 'github__create_issue' })).toThrow(
      /already the name/,
    );
    expect(() => createToolDisclosure(registry, { searchToolName: 'find tools' })).toThrow(/searchToolName/);
  });
});
