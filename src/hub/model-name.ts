// How a model is named wherever one is asked for (--model, EMBEDLINE_MODEL, the library's `model`):
// a folder, or a Hugging Face Hub id `org/name[@revision]`. An existing folder wins over an id
// spelled the same way (`models/bert` in the working folder is that folder).
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** The model used when none is named. */
export const DEFAULT_MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';

export interface HubModelId {
  /** `org/name`. */
  repo: string;
  /** A branch, tag or commit; undefined: the repository's default branch. */
  revision?: string;
}

export type ModelName = { kind: 'folder'; dir: string } | ({ kind: 'hub' } & HubModelId);

/** The Hub's repository names: letters, digits, `-`, `_`, `.`; one `/` between owner and name. */
const HUB_ID = /^([A-Za-z0-9][\w.-]*\/[\w.-]+)(?:@([\w./-]+))?$/;

/** A Hub id `org/name[@revision]` (no folder of that name here), else undefined. */
export function parseHubId(text: string): HubModelId | undefined {
  const match = HUB_ID.exec(text);
  if (!match || text.includes('..')) return undefined;
  return match[2] === undefined ? { repo: match[1] } : { repo: match[1], revision: match[2] };
}

/** What a name refers to: an existing path or anything that is not an id is a folder (absolute). */
export function parseModelName(text: string | undefined): ModelName {
  const name = text ?? DEFAULT_MODEL_ID;
  const id = isAbsolute(name) || name.startsWith('.') || existsSync(name) ? undefined : parseHubId(name);
  return id ? { kind: 'hub', ...id } : { kind: 'folder', dir: resolve(name) };
}

/** `org/name@revision`, or `org/name` when no revision is pinned. */
export function hubIdText(id: HubModelId): string {
  return id.revision === undefined ? id.repo : `${id.repo}@${id.revision}`;
}
