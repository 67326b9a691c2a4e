/**
 * The inspector in a real headless Chromium (one browser for the file), against real servers:
 * server-everything and server-memory over stdio, a command that fails at start-up, our own
 * publisher serving a tool with a rich input schema, and a server behind OAuth client credentials
 * (core's echo peer, with its token endpoint). Opens the page through the one-time link,
 * then checks what an operator sees: servers with their status and the broken one's reason,
 * tools found by search and called through the generated form, the stats chart and call log
 * moving with calls, and a status change arriving without a reload. Screenshots of each view go
 * to `.artifacts/` (gitignored; `pnpm screenshots` copies them to docs/images).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type Registry, silentLogger } from '@toolwire/core';
import type { ListeningPublisher } from '@toolwire/publisher';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EchoPeer, everythingStdio, memoryStdio, startEchoPeer } from '../../core/test/support/index.js';
import { randomToken } from '../src/index.js';
import { type ListeningInspector, listenInspector } from '../src/node.js';
import { artifactsDirectory, type Browser, browserAvailable, launchBrowser } from './support/browser.js';
import { startTripServer } from './support/trip-tool.js';

const available = browserAvailable();

/** The whole page at once: the viewport grows to the page's height (sticky parts stay in place). */
async function screenshot(page: Page, name: string): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1360, height: 860 };
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({
    width: viewport.width,
    height: Math.max(viewport.height, Math.min(height, 4000)),
  });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifactsDirectory, name) });
  await page.setViewportSize(viewport);
}

describe.runIf(available)('the inspector in a real browser', () => {
  let directory: string;
  let trips: ListeningPublisher;
  let tokenServer: EchoPeer;
  let registry: Registry;
  let inspector: ListeningInspector;
  let browser: Browser;
  let page: Page;
  let token: string;
  const requested: string[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'toolwire-inspector-browser-'));
    await mkdir(artifactsDirectory, { recursive: true });
    [trips, tokenServer] = await Promise.all([
      startTripServer(),
      startEchoPeer({ mode: 'ok', requireToken: true }),
    ]);
    [registry, browser] = await Promise.all([
      createRegistry({
        cache: 'memory',
        logger: silentLogger,
        mcpServers: {
          everything: everythingStdio(),
          memory: memoryStdio(join(directory, 'memory.jsonl')),
          broken: {
            command: process.execPath,
            args: [
              '-e',
              "console.error('cannot open /var/lib/orders.db: permission denied'); process.exit(2)",
            ],
          },
          trips: { url: trips.url },
          crm: {
            url: tokenServer.mcpUrl,
            auth: {
              type: 'client_credentials',
              clientId: 'inspector-test',
              clientSecret: 'inspector-test-secret',
              tokenUrl: tokenServer.tokenUrl,
            },
          },
        },
      }),
      launchBrowser(),
    ]);
    token = randomToken();
    inspector = await listenInspector(registry, { oneTimeToken: token });
    page = await browser.context.newPage();
    page.on('request', (request) => requested.push(request.url()));
  });

  afterAll(async () => {
    await browser?.close();
    await inspector?.close();
    await registry?.close();
    await trips?.close();
    await tokenServer?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('opens through the one-time link and lists every server, the broken one failed with its reason', async () => {
    await page.goto(`${inspector.url}?token=${token}`);
    // The token was exchanged for a cookie and dropped from the address bar.
    expect(page.url()).toBe(inspector.url);
    await page.locator('[data-server="everything"][data-status="active"]').waitFor();
    for (const name of ['memory', 'trips'])
      await page.locator(`[data-server="${name}"][data-status="active"]`).waitFor();
    const everything = page.locator('[data-server="everything"]');
    expect(await everything.locator('[data-fact="protocol"]').textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await everything.locator('[data-fact="server"]').textContent()).toContain('everything');
    // Auth is described by kind and token lifetime (the peer grants an hour), never by value.
    expect(await page.locator('[data-server="crm"] [data-fact="auth"]').textContent()).toMatch(
      /^client credentials, token obtained .+, expires in (59|60) min$/,
    );
    const broken = page.locator('[data-server="broken"][data-status="failed"]');
    await broken.waitFor();
    expect(await broken.locator('.error-code').textContent()).toContain('CONNECT_FAILED');
    expect(await broken.locator('.stderr').textContent()).toContain('permission denied');
    await screenshot(page, 'inspect-servers.png');
  });

  it('finds a tool with the registry’s search and calls it through the generated form', async () => {
    await page.goto(`${inspector.url}#tools`);
    await page.locator('input.search').fill('repeat back a message');
    await page.locator('ul.tool-list li[data-tool="everything__echo"]').waitFor();
    await page.locator('ul.tool-list li[data-tool="everything__echo"] a').click();
    const field = page.locator('[data-path="message"]');
    expect(await field.locator('.required').count()).toBe(1);
    await field.locator('input').fill('hello from the form');
    await page.locator('form.call-form button[type="submit"]').click();
    const result = page.locator('.result[data-outcome="ok"]');
    await result.waitFor();
    expect(await result.locator('pre.content.text').textContent()).toBe('Echo: hello from the form');
    expect(await result.locator('.timing').textContent()).toMatch(/on the server/);
  });

  it('turns nested objects, arrays, enums, unions and booleans into fields, and sends what was typed', async () => {
    await page.goto(`${inspector.url}#tools/trips__book_trip`);
    const form = page.locator('form.call-form');
    await form.waitFor();
    for (const required of ['traveller', 'cabin', 'legs', 'payment']) {
      expect(await form.locator(`[data-path="${required}"] .required`).count()).toBeGreaterThan(0);
    }
    expect(await form.locator('[data-path="insured"] .required').count()).toBe(0);
    await form.locator('[data-path="traveller.name"] input').fill('Ada Lovelace');
    await form.locator('[data-path="traveller.age"] input').fill('36');
    await form.locator('[data-path="cabin"] select').selectOption({ label: 'business' });
    const addLeg = form.locator('[data-path="legs"] > button[data-action="add-item"]');
    await addLeg.click();
    await addLeg.click();
    await form.locator('[data-path="legs[0].from"] input').fill('LHR');
    await form.locator('[data-path="legs[0].to"] input').fill('JFK');
    await form.locator('[data-path="legs[1].from"] input').fill('JFK');
    await form.locator('[data-path="legs[1].to"] input').fill('SFO');
    await form.locator('[data-path="payment"] select.variant').selectOption({ label: 'invoice' });
    await form.locator('[data-path="payment.purchaseOrder"] input').fill('PO-1234');
    await form.locator('[data-path="insured"] select').selectOption('true');
    // A tuple (prefixItems) is beyond the form: it falls back to raw JSON for that field.
    await form.locator('[data-path="seats"] textarea').fill('["C", 12]');
    await form.locator('button[type="submit"]').click();
    const result = page.locator('.result[data-outcome="ok"]');
    await result.waitFor();
    expect(JSON.parse((await result.locator('pre.content.text').textContent()) ?? '')).toEqual({
      received: {
        traveller: { name: 'Ada Lovelace', age: 36 },
        cabin: 'business',
        legs: [
          { from: 'LHR', to: 'JFK' },
          { from: 'JFK', to: 'SFO' },
        ],
        payment: { purchaseOrder: 'PO-1234' },
        insured: true,
        seats: ['C', 12],
      },
    });
    await screenshot(page, 'inspect-tools.png');

    // The whole arguments object as raw JSON, and a failure shown with its code and argument path.
    await form.locator('button[data-action="toggle-raw"]').click();
    const raw = form.locator('textarea.raw-json');
    expect(JSON.parse(await raw.inputValue())).toMatchObject({ cabin: 'business', seats: ['C', 12] });
    await raw.fill(
      '{"traveller": {"name": "Ada"}, "cabin": "steerage", "legs": [], "payment": {"card": "4111"}}',
    );
    await form.locator('button[type="submit"]').click();
    const failed = page.locator('.result[data-outcome="failed"]');
    await failed.waitFor();
    expect(await failed.locator('.error-code').textContent()).toBe('INVALID_ARGUMENTS');
    expect(await failed.locator('ul.issues').textContent()).toContain('cabin');
  });

  it('shows image results, structured content and isError results', async () => {
    await page.goto(`${inspector.url}#tools/everything__get-tiny-image`);
    await page.locator('form.call-form button[type="submit"]').click();
    const image = page.locator('.result[data-outcome="ok"] figure.image img');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

    await page.goto(`${inspector.url}#tools/everything__get-structured-content`);
    await page.locator('[data-path="location"] select').selectOption({ label: 'Chicago' });
    await page.locator('form.call-form button[type="submit"]').click();
    const structured = page.locator('.result[data-outcome="ok"] pre.structured');
    await structured.waitFor();
    expect(JSON.parse((await structured.textContent()) ?? '{}')).toHaveProperty('temperature');

    await page.goto(`${inspector.url}#tools/everything__gzip-file-as-resource`);
    await page.locator('[data-path="data"] input').fill('https://example.org/not-allowed.txt');
    await page.locator('form.call-form button[type="submit"]').click();
    await page.locator('.result[data-outcome="tool-error"]').waitFor();
  });

  it('moves the latency chart and the call log with calls, without a reload', async () => {
    await page.goto(`${inspector.url}#activity`);
    const chart = page.locator('[data-role="latency-chart"]');
    await chart.locator('canvas').first().waitFor();
    const chartShows = (calls: number) =>
      page.waitForFunction(
        (expected) =>
          Number(document.querySelector('[data-role="latency-chart"]')?.getAttribute('data-calls')) ===
          expected,
        calls,
      );
    // The calls so far (the earlier tests made them) are on the chart once their stats arrived.
    const before = registry.stats().calls;
    expect(before).toBeGreaterThanOrEqual(5);
    await chartShows(before);
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });
    await registry.callTool('everything__get-sum', { a: 2, b: 3 });
    await registry.callTool('everything__get-sum', { a: 4, b: 5 });
    await chartShows(before + 2);
    expect(JSON.parse((await chart.getAttribute('data-tools')) ?? '[]')).toContain('everything__get-sum');
    await page
      .locator('[data-role="call-log"] li[data-state="ok"] >> text=everything__get-sum')
      .first()
      .waitFor();
    await page.locator('tr[data-tool="everything__get-sum"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    await screenshot(page, 'inspect-activity.png');
  });

  it('shows a server’s status change as it happens, without a reload', async () => {
    await page.goto(`${inspector.url}#servers`);
    await page.locator('[data-server="memory"][data-status="active"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    await registry.disableServer('memory');
    await page.locator('[data-server="memory"][data-status="disabled"]').waitFor();
    registry.enableServer('memory');
    await page.locator('[data-server="memory"][data-status="discovered"]').waitFor();
    const history = page.locator('[data-server="memory"] details.history');
    await history.locator('summary').click();
    expect(await history.textContent()).toContain('active → disabled');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
  });

  it('loaded everything from the inspector itself (works offline)', () => {
    const foreign = requested.filter((url) => !url.startsWith(inspector.url) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
    expect(requested.some((url) => url.endsWith('/assets/uplot.js'))).toBe(true);
  });
});
