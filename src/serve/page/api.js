// Calls the search API with the key this tab was given, if any. A 401 becomes ApiKeyRequired,
// which the page answers by asking for the key and retrying.

const KEY_STORAGE = 'embedline.apiKey';

export class ApiKeyRequired extends Error {}

/** @param {string} key */
export function setApiKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

/**
 * @param {'GET' | 'POST'} method
 * @param {string} path
 * @param {unknown} [body]
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY_STORAGE);
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const payload = await response.json().catch(() => undefined);
  if (response.status === 401) {
    throw new ApiKeyRequired(key ? 'That key was not accepted. Try again.' : 'This server needs an API key.');
  }
  if (!response.ok) throw new Error(payload?.error?.message ?? `${response.status} ${response.statusText}`);
  return payload;
}
