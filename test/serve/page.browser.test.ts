// The search page in headless Chromium (the machine's own, found by support/chromium.ts; driven by
// playwright-core) against a real server with an API key: the page asks for the key, a typed query
// shows the expected article first, one hit per document, its best sentences as a snippet that
// expands to the whole chunk, whole query words highlighted; a metadata filter and a number range
// narrow the hits; query, mode and filters live in the URL (Back, shared links); a nonsense query
// says "no close match" under the floor calibrated from STS-b; markup inside a chunk is shown as
// text, never run. Leaves screenshots in test-artifacts/search-page*.png.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { requireChromium } from '../support/chromium.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { PROJECT_ROOT } from '../support/run-cli.ts';
import { buildSampleCollection, upsertArticles, type Article } from '../support/sample-collection.ts';
import { testEmbedder } from '../support/model.ts';
import { calibrateScoreFloor, readUnrelatedPairs } from '../../src/search/score-floor.ts';
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

/** A second bakery article, with more pages: the range filter tells the two apart. */
const STARTER_ARTICLE: Article = {
  id: 'starter-001',
  title: 'Keeping a sourdough starter alive',
  body: 'Feed the starter flour and water every day. A lively starter doubles within hours. Keep it warm, and stir it before you feed it again.',
  category: 'cooking',
  year: '2024',
  author: 'Test Fixture',
};
const PAGES: Record<string, number> = { [MARKUP_ARTICLE.id]: 150, [STARTER_ARTICLE.id]: 320 };
const STS_DEV = '../shared/data/stsbenchmark/sts-dev.csv';

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
  await upsertArticles(servers.store, COLLECTION, [MARKUP_ARTICLE, STARTER_ARTICLE], (a) => ({ pages: PAGES[a.id], tags: ['bakery', a.id] }));
  // The floor as `embedline calibrate` records it: MiniLM on STS-b dev's unrelated pairs.
  const embedder = await testEmbedder();
  const embed = async (texts: string[]) => (await embedder.embed(texts, { pooling: 'mean', normalize: true, truncate: true })).vectors;
  await servers.store.recordScoreFloor(COLLECTION, await calibrateScoreFloor(readUnrelatedPairs(STS_DEV), embed, 'cosine', 'sts-dev.csv'));
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

/** Every <mark> on the page is a whole word: no letter or digit touches it on either side. */
const fragmentMarks = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('#results mark')]
      .filter((mark) => {
        const before = mark.previousSibling?.textContent ?? '';
        const after = mark.nextSibling?.textContent ?? '';
        return /[\p{L}\p{N}'’]$/u.test(before) || /^[\p{L}\p{N}'’]/u.test(after);
      })
      .map((mark) => `${mark.previousSibling?.textContent?.slice(-5)}[${mark.textContent}]${mark.nextSibling?.textContent?.slice(0, 5)}`),
  );

test('typing a query shows the expected article first, one hit per document, whole query words highlighted', async () => {
  await page.fill('#query', 'how do stars produce energy');
  await page.press('#query', 'Enter');
  await page.locator('#results .hit').first().waitFor();
  const ids = await docIds();
  assert.equal(ids[0], 'ast-001');
  assert.equal(new Set(ids).size, ids.length, `one hit per document: ${ids.join(', ')}`);
  const first = page.locator('#results .hit').first();
  const marked = (await first.locator('mark').allTextContents()).map((m) => m.toLowerCase());
  assert.ok(marked.includes('stars') && marked.includes('energy'), `marked: ${marked.join(', ')}`);
  assert.deepEqual(await fragmentMarks(), []);
  assert.match(await first.locator('.score').textContent() ?? '', /^0\.\d{3}$/);
  assert.match(await first.locator('.matches').textContent() ?? '', /^\d+ matching chunks?$/);
  assert.match(await page.locator('#status').textContent() ?? '', /^10 documents in [\d.]+ ms$/);
  assert.equal(await page.locator('#no-match').isHidden(), true);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
});

test('a hit shows its best sentences; the button expands them to the whole chunk and back', async () => {
  const hit = page.locator('#results .hit').filter({ has: page.locator('button.expand') }).first();
  const snippet = (await hit.locator('.hit-text').textContent()) ?? '';
  assert.match(snippet, /…/);
  await hit.locator('button.expand').click();
  const whole = (await hit.locator('.hit-text').textContent()) ?? '';
  assert.ok(whole.length > snippet.length, `${whole.length} > ${snippet.length}`);
  assert.doesNotMatch(whole, /…/);
  assert.equal(await hit.locator('button.expand').getAttribute('aria-expanded'), 'true');
  await hit.locator('button.expand').click();
  assert.equal(await hit.locator('.hit-text').textContent(), snippet);
});

test('a query word is never marked inside a longer word ("star" does not mark "start", "re" nothing in "they\'re")', async () => {
  await page.fill('#query', "re star they're");
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/search')), page.press('#query', 'Enter')]);
  await page.waitForFunction(() => /^\d+ documents? in/.test(document.querySelector('#status')?.textContent ?? ''));
  assert.ok((await page.locator('#results .hit').count()) > 0);
  assert.deepEqual(await fragmentMarks(), []);
  const marked = new Set((await page.locator('#results mark').allTextContents()).map((m) => m.toLowerCase()));
  for (const word of marked) assert.ok(['star', 'stars', "they're"].includes(word), `marked ${word}`);
});

test('the query, mode and filters are in the URL: Back restores the previous search, a link reproduces one', async () => {
  const requests: Array<Record<string, unknown>> = [];
  const record = (request: import('playwright-core').Request) => {
    if (request.url().endsWith('/search')) requests.push(JSON.parse(request.postData() ?? '{}'));
  };
  page.on('request', record);
  await page.fill('#query', 'how do plants turn sunlight into sugar');
  await page.press('#query', 'Enter');
  await page.waitForFunction(() => document.querySelector('#results .hit .doc-id')?.textContent === 'bio-001');
  await page.selectOption('#mode', 'hybrid');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'hybrid');
  await page.locator('#results .hit').first().waitFor();
  assert.equal(requests.at(-1)?.mode, 'hybrid');
  assert.equal(requests.at(-2)?.mode, undefined, 'dense is the default: not sent');
  const shared = page.url();

  await page.goBack();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('mode'));
  assert.equal(await page.inputValue('#mode'), 'dense');
  assert.equal(await page.inputValue('#query'), 'how do plants turn sunlight into sugar');
  await page.goBack();
  await page.waitForFunction(() => (document.querySelector('#query') as HTMLInputElement).value === "re star they're");
  page.off('request', record);

  const other = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await other.goto(baseUrl);
  await other.evaluate((key) => sessionStorage.setItem('embedline.apiKey', key), API_KEY);
  await other.goto(shared);
  await other.waitForFunction(() => document.querySelector('#results .hit .doc-id')?.textContent === 'bio-001');
  assert.equal(await other.inputValue('#mode'), 'hybrid');
  assert.equal(await other.inputValue('#query'), 'how do plants turn sunlight into sugar');
  await other.close();
});

test('a number field gets a range input: from–to narrows the hits, and the range is in the URL', async () => {
  await page.fill('#query', 'sourdough bakery');
  await page.press('#query', 'Enter');
  await page.waitForFunction(() => {
    const ids = [...document.querySelectorAll('#results .hit .doc-id')].map((e) => e.textContent);
    return ids.includes('markup-001') && ids.includes('starter-001');
  });
  await page.fill('input[data-field="pages"][data-range="gte"]', '100');
  await page.fill('input[data-field="pages"][data-range="lte"]', '200');
  await page.press('input[data-field="pages"][data-range="lte"]', 'Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('filter') === JSON.stringify({ pages: { gte: 100, lte: 200 } }));
  await page.waitForFunction(() => [...document.querySelectorAll('#results .hit .doc-id')].map((e) => e.textContent).join() === 'markup-001');
  assert.equal(await page.locator('label', { hasText: 'tags (contains)' }).count(), 1);
  await page.screenshot({ path: `${ARTIFACTS}/search-page-range.png`, fullPage: false });
  await page.fill('input[data-field="pages"][data-range="gte"]', '');
  await page.fill('input[data-field="pages"][data-range="lte"]', '');
  await page.press('#query', 'Enter');
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('filter'));
});

test('a nonsense query says "no close match" (below the calibrated floor) instead of presenting weak hits as answers', async () => {
  await page.fill('#query', 'zzzqqq');
  await page.press('#query', 'Enter');
  await page.locator('#no-match').waitFor({ state: 'visible' });
  assert.match((await page.locator('#no-match').textContent()) ?? '', /No close match\.\s+The best hit scores 0\.\d{3}, below 0\.\d{3}/);
  assert.equal(await page.locator('#results.weak').count(), 1);
  await page.screenshot({ path: `${ARTIFACTS}/search-page-no-match.png`, fullPage: false });
  await page.fill('#query', 'how do stars produce energy');
  await page.press('#query', 'Enter');
  await page.locator('#no-match').waitFor({ state: 'hidden' });
});

test('choosing a category in the filters narrows the hits to it', async () => {
  await page.fill('#query', 'how do stars produce energy');
  await page.press('#query', 'Enter');
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
