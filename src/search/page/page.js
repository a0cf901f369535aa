// The search page: pick a collection, type a query, optionally filter on metadata, see the hits.
// Everything from the server is put on the page as text (textContent, text nodes), never as HTML.
import { api, ApiKeyRequired, setApiKey } from './api.js';
import { highlightSegments } from './highlight.js';

const $ = (/** @type {string} */ id) => /** @type {HTMLElement & Record<string, any>} */ (document.getElementById(id));
const COLLECTION_STORAGE = 'embedline.collection';

/** @type {Array<{name: string, points: number, documents: number, model: string, pooling: string, dims: number, metadataFields: Array<{name: string, type: string, values: Array<string|number|boolean>}>}>} */
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
  const remembered = sessionStorage.getItem(COLLECTION_STORAGE);
  if (remembered && collections.some((c) => c.name === remembered)) select.value = remembered;
  showCollection();
  setStatus(collections.length === 0 ? 'No collections yet: run `embedline ingest` first.' : '');
}

function currentCollection() {
  return collections.find((c) => c.name === $('collection').value);
}

function showCollection() {
  const c = currentCollection();
  $('collection-info').textContent = c ? `${c.points.toLocaleString()} chunks from ${c.documents.toLocaleString()} documents · ${c.model} (${c.pooling}, ${c.dims} dims)` : '';
  buildFilters(c?.metadataFields ?? []);
}

function buildFilters(/** @type {Array<{name: string, type: string, values: Array<string|number|boolean>}>} */ fields) {
  const controls = fields.map((field) => {
    const label = document.createElement('label');
    label.append(field.name);
    /** @type {HTMLInputElement | HTMLSelectElement} */
    let control;
    if (field.values.length > 0) {
      control = document.createElement('select');
      control.append(new Option('any', ''), ...field.values.map((v) => new Option(String(v), JSON.stringify(v))));
      control.dataset.json = 'true';
    } else {
      control = document.createElement('input');
      control.type = field.type === 'number' ? 'number' : 'text';
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

/** The filter the inputs describe, typed as the collection stores each field (filters are type-strict). */
function readFilter() {
  /** @type {Record<string, string|number|boolean>} */
  const filter = {};
  for (const control of /** @type {NodeListOf<HTMLInputElement>} */ ($('filter-fields').querySelectorAll('[data-field]'))) {
    const { field, type, json } = control.dataset;
    const raw = control.value.trim();
    if (!field || raw === '') continue;
    if (json) filter[field] = JSON.parse(raw);
    else if (type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) throw new Error(`filter ${field} must be a number`);
      filter[field] = n;
    } else if (type === 'boolean') filter[field] = raw === 'true';
    else filter[field] = raw;
  }
  return Object.keys(filter).length > 0 ? filter : undefined;
}

async function search() {
  const collection = $('collection').value;
  const query = $('query').value.trim();
  if (!collection || query === '') return setStatus('Type a query.');
  sessionStorage.setItem(COLLECTION_STORAGE, collection);
  setStatus('Searching…');
  const body = { query, k: Number($('k').value), filter: readFilter() };
  const { hits, tookMs } = await api('POST', `/v1/collections/${encodeURIComponent(collection)}/search`, body);
  renderHits(hits, query);
  setStatus(`${hits.length} ${hits.length === 1 ? 'hit' : 'hits'} in ${tookMs} ms`);
}

function renderHits(/** @type {Array<{score: number, documentId: string, chunkIndex: number, text: string, metadata: Record<string, unknown>}>} */ hits, /** @type {string} */ query) {
  const items = hits.map((hit) => {
    const li = document.createElement('li');
    li.className = 'hit';
    const head = document.createElement('div');
    head.className = 'hit-head';
    head.append(span('score', hit.score.toFixed(3)), span('doc-id', hit.documentId), span('chunk', `chunk ${hit.chunkIndex}`));
    const text = document.createElement('p');
    text.className = 'hit-text';
    for (const segment of highlightSegments(hit.text, query)) {
      if (segment.match) {
        const mark = document.createElement('mark');
        mark.textContent = segment.text;
        text.append(mark);
      } else text.append(segment.text);
    }
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.append(...Object.entries(hit.metadata).map(([k, v]) => span('', `${k}: ${String(v)}`)));
    li.append(head, text, meta);
    return li;
  });
  $('results').replaceChildren(...items);
}

function span(/** @type {string} */ className, /** @type {string} */ text) {
  const el = document.createElement('span');
  if (className) el.className = className;
  el.textContent = text;
  return el;
}

$('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void run(search);
});
$('collection').addEventListener('change', () => {
  showCollection();
  if ($('query').value.trim() !== '') void run(search);
});
$('k').addEventListener('change', () => {
  if ($('query').value.trim() !== '') void run(search);
});
$('filter-fields').addEventListener('change', () => {
  if ($('query').value.trim() !== '') void run(search);
});
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
