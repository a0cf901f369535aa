// From a model's name to a folder to load, and the loader every command and the library use.
// A folder is itself. A Hub id `org/name[@revision]` is looked for, in order: in the local models
// folders (EMBEDLINE_MODELS_DIR: `<dir>/<name>` or `<dir>/<org>/<name>`, the air-gapped copy; only
// for an id without a pinned revision, whose commit a plain folder cannot prove), in the Hugging
// Face cache (its files checked against their hashes), and else fetched from the Hub, unless
// HF_HUB_OFFLINE is set, which ends in one line naming `embedline model fetch`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConfig } from '../config.ts';
import { loadEmbedder, type Embedder, type LoadOptions } from '../embed/embedder.ts';
import { modelSourceName, type ModelSourceSpec } from '../contracts/collection-spec.ts';
import { cacheSnapshotSource, graphCandidates, INT8_GRAPHS, type ModelSource } from '../embed/model-files.ts';
import { EmbedlineError } from '../errors.ts';
import { log } from '../log.ts';
import { blobIsIntact, cachedCommit, snapshotBlob, snapshotFolder } from './hub-cache.ts';
import { fetchModel, MODEL_FILES, REQUIRED_FILES, type DownloadProgress } from './fetch-model.ts';
import { hubIdText, parseModelName, type HubModelId } from './model-name.ts';

export interface ResolvedModel {
  dir: string;
  /** The Hub repository (and commit when known) the folder holds; unset for a folder named as such. */
  source?: ModelSource;
}

export interface ResolveOptions {
  quantized?: boolean;
  /** Called as a first-use download goes; default: a log line every few seconds. */
  onProgress?: (progress: DownloadProgress) => void;
}

/** The folder for a model name (undefined: the default model), fetching it when it is nowhere local. */
export async function resolveModel(name: string | undefined, hub: HubConfig, options: ResolveOptions = {}): Promise<ResolvedModel> {
  const parsed = parseModelName(name);
  if (parsed.kind === 'folder') return { dir: parsed.dir };
  const quantized = options.quantized ?? false;
  const local = parsed.revision === undefined ? localCopy(parsed.repo, hub.modelsDirs) : undefined;
  if (local) return { dir: local, source: { repo: parsed.repo } };
  const cached = await cachedSnapshot(parsed, hub, quantized);
  if (cached) return { dir: cached, source: cacheSnapshotSource(cached) };
  if (hub.offline) {
    const where = [...hub.modelsDirs, hub.cacheDir].join(', ');
    throw new EmbedlineError(
      'MODEL_NOT_FOUND',
      `model ${hubIdText(parsed)}${quantized ? ' (int8)' : ''} is not in the local models folders nor the Hugging Face cache (${where}) and HF_HUB_OFFLINE is set: run \`embedline model fetch ${hubIdText(parsed)}${quantized ? ' --quantized' : ''}\` where the Hub is reachable, or put the model's folder in EMBEDLINE_MODELS_DIR`,
      { details: { model: hubIdText(parsed) } },
    );
  }
  log('info', 'model.fetch', { model: hubIdText(parsed), endpoint: hub.endpoint, cache: hub.cacheDir });
  const fetched = await fetchModel(parsed, hub, { quantized, onProgress: options.onProgress ?? progressLog() });
  return { dir: fetched.dir, source: { repo: fetched.repo, revision: fetched.commit } };
}

/** Loads a model by name (folder or Hub id), as resolveModel finds it. */
export async function loadModel(name: string | undefined, hub: HubConfig, options: LoadOptions & Pick<ResolveOptions, 'onProgress'> = {}): Promise<Embedder> {
  const { onProgress, ...load } = options;
  const resolved = await resolveModel(name, hub, { quantized: load.quantized, onProgress });
  return loadEmbedder(resolved.dir, { ...load, source: resolved.source });
}

/**
 * The model a collection recorded (its Hub id at its commit, the same precision), as the embedder
 * that made its vectors; the caller still compares checksums.
 */
export function loadRecordedModel(source: ModelSourceSpec, hub: HubConfig, options: LoadOptions = {}): Promise<Embedder> {
  return loadModel(modelSourceName(source), hub, { ...options, quantized: INT8_GRAPHS.includes(source.file) });
}

/** `<dir>/<name>` or `<dir>/<org>/<name>` in the first local models folder that has a model there. */
export function localCopy(repo: string, modelsDirs: string[]): string | undefined {
  const [org, repoName] = repo.split('/');
  for (const dir of modelsDirs) {
    for (const candidate of [join(dir, org, repoName), join(dir, repoName)]) {
      if (existsSync(join(candidate, 'config.json'))) return candidate;
    }
  }
  return undefined;
}

/**
 * The cache's snapshot for the id, when it holds every file a load reads, each intact; a damaged
 * blob is reported and treated as absent (so it is fetched again when the Hub is reachable).
 */
async function cachedSnapshot(id: HubModelId, hub: HubConfig, quantized: boolean): Promise<string | undefined> {
  const commit = cachedCommit(hub.cacheDir, id);
  if (commit === undefined) return undefined;
  const dir = snapshotFolder(hub.cacheDir, id.repo, commit);
  const graph = graphCandidates(quantized).find((file) => existsSync(join(dir, file)));
  if (graph === undefined || REQUIRED_FILES.some((file) => !existsSync(join(dir, file)))) return undefined;
  for (const file of [...MODEL_FILES, graph]) {
    const blob = snapshotBlob(join(dir, file));
    if (blob && !(await blobIsIntact(blob.path, blob.etag))) {
      log('warn', 'model.blob_damaged', { model: hubIdText(id), file, blob: blob.path });
      if (hub.offline) {
        throw new EmbedlineError('MODEL_INVALID', `the cached ${file} of ${hubIdText(id)} is damaged (${blob.path} does not match its hash) and HF_HUB_OFFLINE is set: run \`embedline model fetch ${hubIdText(id)}\` where the Hub is reachable`);
      }
      return undefined;
    }
  }
  return dir;
}

/** Download progress as a structured log line every 5 s and at each file's end (non-interactive runs). */
export function progressLog(intervalMs = 5000): (progress: DownloadProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.bytes !== p.total && now - last < intervalMs) return;
    last = now;
    log('info', 'model.download', { file: p.file, bytes: p.bytes, total: p.total, allBytes: p.allBytes, allTotal: p.allTotal });
  };
}
