// The search page in headless Chromium (the machine's own, found by support/chromium.ts; driven by
// playwright-core) against a real server with an API key: the page asks for the key, a typed query shows the expected article first with
// the query's words highlighted, a metadata filter narrows the hits, and markup inside a chunk is
// shown as text, never run. Leaves a screenshot in test-artifacts/search-page.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireChromium } from '../support/chromium.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';
import { buildSampleCollection, upsertArticles, type Article } from '../support/sample-collection.ts';
import { testSearchServers, type TestSearchServers } from '../support/search-server.ts';

const COLLECTION = 'articles';
const API_KEY = 'page-test-key';
const ARTIFACTS = `${PROJECT_ROOT}test-artifacts`;
const SCREENSHOT = `${ARTIFACTS}/search-page.png`;

/** A chunk whose text is markup: the page must print it, not render or run it. */
const MARKUP_ARTICLE: Article = {
  id: 'markup-001',
  title: 'Angle brackets in the bakery',
  body: 'The baker wrote <img src=x onerror="window.__injected=1"> and <script>window.__injected=2</script> on the sourdough label.',
  category: 'cooking',
  year: '2024',
  author: 'Test Fixture',
};

const iso = isolatedEnv('search-page');
let servers: TestSearchServers;
let baseUrl: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  // First, so that a machine without a browser fails at once with the line saying how to get one.
  const executablePath = requireChromium();
  await buildSampleCollection(iso, COLLECTION);
  servers = testSearchServers(iso);
  await upsertArticles(servers.store, COLLECTION, [MARKUP_ARTICLE]);
  const app = await servers.server({ EMBEDLINE_API_KEY: API_KEY });
  await app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/401 \(Unauthorized\)/.test(msg.text())) pageErrors.push(msg.text());
  });
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await iso.cleanup();
});

const docIds = () => page.locator('#results .hit .doc-id').allTextContents();

test('the page asks for the API key, and a wrong one is refused', async () => {
  await page.goto(baseUrl);
  await page.locator('#key-form').waitFor({ state: 'visible' });
  await page.fill('#api-key', 'not-the-key');
  await page.press('#api-key', 'Enter');
  await page.locator('#key-form label', { hasText: 'not accepted' }).waitFor();
  await page.fill('#api-key', API_KEY);
  await page.press('#api-key', 'Enter');
  await page.locator('#collection option', { hasText: COLLECTION }).waitFor({ state: 'attached' });
  assert.equal(await page.locator('#key-form').isHidden(), true);
});

test('typing a query shows the expected article first, with the query words highlighted', async () => {
  await page.fill('#query', 'how do stars produce energy');
  await page.press('#query', 'Enter');
  await page.locator('#results .hit').first().waitFor();
  assert.equal((await docIds())[0], 'ast-001');
  const first = page.locator('#results .hit').first();
  const marked = (await first.locator('mark').allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marked.includes('stars') && marked.includes('energy'), `marked: ${marked.join(', ')}`);
  assert.match(await first.locator('.score').textContent() ?? '', /^0\.\d{3}$/);
  assert.match(await page.locator('#status').textContent() ?? '', /^10 hits in [\d.]+ ms$/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
});

test('choosing a category in the filters narrows the hits to it', async () => {
  await page.selectOption('#filter-fields select[data-field="category"]', { label: 'biology' });
  await page.waitForFunction(() => [...document.querySelectorAll('#results .hit .meta')].every((m) => m.textContent?.includes('category: biology')));
  const ids = await docIds();
  assert.ok(ids.length > 0 && ids.every((id) => id.startsWith('bio-')), ids.join(', '));
  await page.selectOption('#filter-fields select[data-field="category"]', { label: 'any' });
});

test('markup in a chunk is shown as text, never rendered or run', async () => {
  await page.fill('#query', 'baker wrote on the sourdough label');
  await page.press('#query', 'Enter');
  await page.waitForFunction(() => document.querySelector('#results .hit .doc-id')?.textContent === 'markup-001');
  const text = await page.locator('#results .hit .hit-text').first().textContent();
  assert.match(text ?? '', /<img src=x onerror="window.__injected=1">/);
  assert.equal(await page.locator('#results img, #results script').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected), undefined);
});

test('the page raised no script errors (the Content-Security-Policy allows everything it loads)', () => {
  assert.deepEqual(pageErrors, []);
});
