// The search page: pick a collection, type a query, choose a mode, optionally filter on metadata,
// see the best documents: each with its best chunk's matching sentences (expandable to the whole
// chunk), the count of its matching chunks, and "no close match" when the collection's calibrated
// floor says the best hit is weak. The query, collection, k, mode, minimum score and filters live
// in the URL, so Back returns to the previous search and a link reproduces one.
// Everything from the server is put on the page as text (textContent, text nodes), never as HTML.
import { api, ApiKeyRequired, setApiKey } from './api.js';
import { highlightSegments, sentenceWindow } from './highlight.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement & Record<string, any>} */ (document.getElementById(id));
const COLLECTION_STORAGE = 'embedline.collection';

/** @typedef {{name: string, type: string, values: Array<string|number|boolean>, list?: boolean, min?: number, max?: number}} Field */
/** @type {Array<{name: string, points: number, documents: number, model: string, pooling: string, dims: number, metadataFields: Field[]}>} */
let collections = [];
/** What to retry once the user has given an API key. @type {(() => Promise<void>) | undefined} */
let retry;

function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

/** Runs a page action; a 401 opens the key form and remembers the action for after it. */
async function run(/** @type {() => Promise<void>} */ action) {
  try {
    await action();
  } catch (err) {
    if (err instanceof ApiKeyRequired) {
      retry = action;
      $('key-form').hidden = false;
      $('key-form').querySelector('label').textContent = err.message;
      $('api-key').focus();
      setStatus('Waiting for an API key.');
    } else {
      setStatus(err instanceof Error ? err.message : String(err), true);
    }
  }
}

async function loadCollections() {
  const body = await api('GET', '/v1/collections');
  collections = body.collections;
  const select = $('collection');
  select.replaceChildren(...collections.map((c) => new Option(c.name, c.name)));
  const wanted = new URLSearchParams(location.search).get('collection') ?? sessionStorage.getItem(COLLECTION_STORAGE);
  if (wanted && collections.some((c) => c.name === wanted)) select.value = wanted;
  showCollection();
  setStatus(collections.length === 0 ? 'No collections yet: run `embedline ingest` first.' : '');
  await fromUrl();
}

function currentCollection() {
  return collections.find((c) => c.name === $('collection').value);
}

function showCollection() {
  const c = currentCollection();
  $('collection-info').textContent = c ? `${c.points.toLocaleString()} chunks from ${c.documents.toLocaleString()} documents · ${c.model} (${c.pooling}, ${c.dims} dims)` : '';
  buildFilters(c?.metadataFields ?? []);
}

function buildFilters(/** @type {Field[]} */ fields) {
  const controls = fields.map((field) => {
    const label = document.createElement('label');
    label.append(field.list ? `${field.name} (contains)` : field.name);
    if (field.type === 'number') {
      // A range: from / to (inclusive), with the sampled bounds as hints.
      const box = document.createElement('span');
      box.className = 'range';
      box.append(rangeInput(field, 'gte', field.min), '–', rangeInput(field, 'lte', field.max));
      label.append(box);
      return label;
    }
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let control;
    if (field.values.length > 0) {
      control = document.createElement('select');
      control.append(new Option('any', ''), ...field.values.map((v) => new Option(String(v), JSON.stringify(v))));
      control.dataset.json = 'true';
    } else {
      control = document.createElement('input');
      control.type = 'text';
      control.placeholder = 'any';
    }
    control.dataset.field = field.name;
    control.dataset.type = field.type;
    label.append(control);
    return label;
  });
  $('filter-fields').replaceChildren(...controls);
  $('filters').hidden = controls.length === 0;
}

function rangeInput(/** @type {Field} */ field, /** @type {'gte'|'lte'} */ bound, /** @type {number|undefined} */ hint) {
  const input = document.createElement('input');
  input.type = 'number';
  input.step = 'any';
  input.className = 'range-bound';
  input.placeholder = hint === undefined ? (bound === 'gte' ? 'from' : 'to') : String(hint);
  input.setAttribute('aria-label', `${field.name} ${bound === 'gte' ? 'from' : 'to'}`);
  input.dataset.field = field.name;
  input.dataset.range = bound;
  return input;
}

/** The filter the inputs describe, typed as the collection stores each field (filters are type-strict). */
function readFilter() {
  /** @type {Record<string, any>} */
  const filter = {};
  for (const control of /** @type {NodeListOf<HTMLInputElement>} */ ($('filter-fields').querySelectorAll('[data-field]'))) {
    const { field, type, json, range } = control.dataset;
    const raw = control.value.trim();
    if (!field || raw === '') continue;
    if (range) {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`filter ${field} ${range === 'gte' ? 'from' : 'to'} must be a number`);
      filter[field] = { ...filter[field], [range]: n };
    } else if (json) filter[field] = JSON.parse(raw);
    else if (type === 'boolean') filter[field] = raw === 'true';
    else filter[field] = raw;
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

/** Puts a filter (from a URL) back into the inputs; parts no input shows are left out. */
function writeFilter(/** @type {Record<string, any>} */ filter) {
  for (const control of /** @type {NodeListOf<HTMLInputElement>} */ ($('filter-fields').querySelectorAll('[data-field]'))) {
    const { field, json, range } = control.dataset;
    const value = field === undefined ? undefined : filter[field];
    if (range) control.value = value && typeof value === 'object' && value[range] !== undefined ? String(value[range]) : '';
    else if (value === undefined || (typeof value === 'object' && value !== null)) control.value = '';
    else control.value = json ? JSON.stringify(value) : String(value);
  }
}

/** The search the controls describe, as URL parameters (what a shared link holds). */
function paramsFromControls() {
  const params = new URLSearchParams();
  params.set('collection', $('collection').value);
  params.set('q', $('query').value.trim());
  params.set('k', $('k').value);
  if ($('mode').value !== 'dense') params.set('mode', $('mode').value);
  const threshold = $('score-threshold').value.trim();
  if (threshold !== '') params.set('minScore', threshold);
  const filter = readFilter();
  if (filter) params.set('filter', JSON.stringify(filter));
  return params;
}

/** Sets the controls from the URL and runs its search, if it has a query (page load, Back, Forward). */
async function fromUrl() {
  const params = new URLSearchParams(location.search);
  const collection = params.get('collection');
  if (collection && collection !== $('collection').value && collections.some((c) => c.name === collection)) {
    $('collection').value = collection;
    showCollection();
  }
  $('query').value = params.get('q') ?? '';
  $('k').value = ['5', '10', '25', '50'].includes(params.get('k') ?? '') ? params.get('k') : '10';
  $('mode').value = ['keyword', 'hybrid'].includes(params.get('mode') ?? '') ? params.get('mode') : 'dense';
  $('score-threshold').value = params.get('minScore') ?? '';
  let filter = {};
  try {
    filter = JSON.parse(params.get('filter') ?? '{}') ?? {};
  } catch {
    setStatus('The link\'s filter is not valid JSON; it was left out.', true);
  }
  writeFilter(filter);
  updateThresholdState();
  if ($('query').value.trim() === '') {
    $('results').replaceChildren();
    $('no-match').hidden = true;
    return;
  }
  await search(false);
}

/** A minimum score compares similarities: dense mode only (keyword and hybrid scores are not). */
function updateThresholdState() {
  const dense = $('mode').value === 'dense';
  $('score-threshold').disabled = !dense;
  $('score-threshold').title = dense ? 'hits scoring below this are left out' : 'dense mode only: keyword and hybrid scores are not similarities';
}

async function search(record = true) {
  const collection = $('collection').value;
  const query = $('query').value.trim();
  if (!collection || query === '') return setStatus('Type a query.');
  sessionStorage.setItem(COLLECTION_STORAGE, collection);
  if (record) {
    const params = paramsFromControls();
    if (`?${params}` !== location.search) history.pushState(null, '', `?${params}`);
  }
  setStatus('Searching…');
  const mode = $('mode').value;
  const threshold = $('score-threshold').value.trim();
  /** @type {Record<string, unknown>} */
  const body = { query, k: Number($('k').value), filter: readFilter(), groupBy: 'document' };
  // The API's default mode is dense: other modes are sent by name.
  if (mode !== 'dense') body.mode = mode;
  else if (threshold !== '') body.scoreThreshold = Number(threshold);
  const answer = await api('POST', `/v1/collections/${encodeURIComponent(collection)}/search`, body);
  renderHits(answer.hits, query);
  showNoMatch(answer);
  const n = answer.hits.length;
  setStatus(`${n} ${n === 1 ? 'document' : 'documents'} in ${answer.tookMs} ms`);
}

function showNoMatch(/** @type {{hits: Array<{score: number}>, noCloseMatch: boolean, scoreFloor?: number}} */ answer) {
  $('no-match').hidden = !answer.noCloseMatch;
  $('results').classList.toggle('weak', answer.noCloseMatch);
  if (!answer.noCloseMatch) return;
  const best = answer.hits[0];
  $('no-match-detail').textContent = best
    ? `The best hit scores ${best.score.toFixed(3)}, below ${answer.scoreFloor?.toFixed(3)}, the score unrelated texts reach with this model. The nearest documents are shown below, but they are probably not what you asked for.`
    : 'Nothing scored above the floor for this collection.';
}

/** @typedef {{score: number, documentId: string, chunkIndex: number, text: string, metadata: Record<string, unknown>, matches?: number}} Hit */

function renderHits(/** @type {Hit[]} */ hits, /** @type {string} */ query) {
  const items = hits.map((hit) => {
    const li = document.createElement('li');
    li.className = 'hit';
    const head = document.createElement('div');
    head.className = 'hit-head';
    head.append(span('score', hit.score.toFixed(3)), span('doc-id', hit.documentId), span('chunk', `chunk ${hit.chunkIndex}`));
    if (hit.matches !== undefined) head.append(span('matches', `${hit.matches} matching ${hit.matches === 1 ? 'chunk' : 'chunks'}`));
    const snippet = sentenceWindow(hit.text, query);
    const text = document.createElement('p');
    text.className = 'hit-text';
    renderSnippet(text, hit.text, snippet, query, false);
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.append(...Object.entries(hit.metadata).map(([k, v]) => span('', `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)));
    li.append(head, text);
    if (!snippet.whole) {
      const toggle = document.createElement('button');
      toggle.type = 'button';
      toggle.className = 'expand';
      toggle.textContent = 'Show the whole chunk';
      toggle.setAttribute('aria-expanded', 'false');
      toggle.addEventListener('click', () => {
        const expanded = toggle.getAttribute('aria-expanded') !== 'true';
        renderSnippet(text, hit.text, snippet, query, expanded);
        toggle.setAttribute('aria-expanded', String(expanded));
        toggle.textContent = expanded ? 'Show less' : 'Show the whole chunk';
      });
      li.append(toggle);
    }
    li.append(meta);
    return li;
  });
  $('results').replaceChildren(...items);
}

/** The snippet (with … where the chunk goes on) or the whole chunk, query words marked. */
function renderSnippet(/** @type {HTMLElement} */ el, /** @type {string} */ chunk, /** @type {{text: string, start: number, end: number}} */ snippet, /** @type {string} */ query, /** @type {boolean} */ whole) {
  const shown = whole ? chunk : snippet.text;
  el.replaceChildren();
  if (!whole && snippet.start > 0) el.append('… ');
  for (const segment of highlightSegments(shown, query)) {
    if (segment.match) {
      const mark = document.createElement('mark');
      mark.textContent = segment.text;
      el.append(mark);
    } else el.append(segment.text);
  }
  if (!whole && snippet.end < chunk.trimEnd().length) el.append(' …');
}

function span(/** @type {string} */ className, /** @type {string} */ text) {
  const el = document.createElement('span');
  if (className) el.className = className;
  el.textContent = text;
  return el;
}

const searchAgain = () => {
  if ($('query').value.trim() !== '') void run(() => search());
};

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run(() => search());
});
$('collection').addEventListener('change', () => {
  showCollection();
  searchAgain();
});
$('k').addEventListener('change', searchAgain);
$('mode').addEventListener('change', () => {
  updateThresholdState();
  searchAgain();
});
$('score-threshold').addEventListener('change', searchAgain);
$('filter-fields').addEventListener('change', searchAgain);
window.addEventListener('popstate', () => void run(fromUrl));
$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey($('api-key').value);
  $('api-key').value = '';
  $('key-form').hidden = true;
  const action = retry ?? loadCollections;
  retry = undefined;
  // Collections may never have loaded (the first call was the one refused): load them first.
  void run(async () => {
    if (collections.length === 0) await loadCollections();
    if (action !== loadCollections) await action();
  });
});

void run(loadCollections);
