// Downloads what embedding needs of a Hub model into the standard Hugging Face cache, with the
// official client (@huggingface/hub: the revision's commit, the file tree with sizes and hashes,
// each file's download, which follows the Hub's redirects and its Xet storage). Only the files
// embedding reads are fetched; each is checked against the Hub's size and hash while it streams
// into a temporary file beside the blobs, renamed into place only when it is whole and right. The
// snapshot's links are made once every blob is in, and the branch's ref last, so a model is never
// found half-fetched. A blob already in the cache and intact is not fetched again; a damaged one is,
// and what a killed fetch left of it (a temporary file nobody writes to any more) is removed.
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { randomBytes } from 'node:crypto';
import { downloadFile, listFiles, modelInfo, type ListFileEntry } from '@huggingface/hub';
import type { HubConfig } from '../config.ts';
import { graphCandidates } from '../embed/model-files.ts';
import { EmbedlineError } from '../errors.ts';
import { blobIsIntact, COMMIT, etagHasher, repoFolder, snapshotFolder } from './hub-cache.ts';
import { hubError, networkReason } from './hub-errors.ts';
import { hubIdText, type HubModelId } from './model-name.ts';

/** The files embedding reads besides the graph: configs, tokenizer, sentence-transformers modules. */
export const MODEL_FILES = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.txt',
  'modules.json',
  '1_Pooling/config.json',
  'sentence_bert_config.json',
  'config_sentence_transformers.json',
];

/** Without these a folder cannot be loaded at all. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json'];

export interface DownloadProgress {
  file: string;
  /** Bytes of this file received so far. */
  bytes: number;
  /** This file's size. */
  total: number;
  /** Bytes of the whole fetch received so far, and its size (files already cached not counted). */
  allBytes: number;
  allTotal: number;
}

export interface FetchOptions {
  quantized?: boolean;
  onProgress?: (progress: DownloadProgress) => void;
}

export interface FetchedFile {
  path: string;
  size: number;
  /** False when the cache held it already, intact. */
  downloaded: boolean;
}

export interface FetchResult {
  repo: string;
  commit: string;
  /** The snapshot folder: a model folder embedline loads. */
  dir: string;
  files: FetchedFile[];
}

/** Bytes of the whole fetch received so far, and its size. */
type FetchTotals = Pick<DownloadProgress, 'allBytes' | 'allTotal'>;

interface PlannedFile {
  path: string;
  size: number;
  etag: string;
  blob: string;
}

/** Fetches `id` into the cache (nothing when it is there, intact) and returns its snapshot folder. */
export async function fetchModel(id: HubModelId, hub: HubConfig, options: FetchOptions = {}): Promise<FetchResult> {
  const access = { hubUrl: hub.endpoint, accessToken: hub.token };
  const name = hubIdText(id);
  const revision = id.revision ?? 'main';
  const info = await hubError(name, hub, () => modelInfo({ ...access, name: id.repo, revision, additionalFields: ['sha'] }));
  const commit = String(info.sha);
  if (!COMMIT.test(commit)) throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${hub.endpoint} gave no commit for ${name} (got ${JSON.stringify(info.sha)})`, { retryable: true });
  const tree = await hubError(name, hub, async () => {
    const entries: ListFileEntry[] = [];
    for await (const entry of listFiles({ ...access, repo: { type: 'model', name: id.repo }, revision: commit, recursive: true })) entries.push(entry);
    return entries;
  });
  const plan = planFiles(name, id.repo, tree, hub, options.quantized ?? false);
  const folder = repoFolder(hub.cacheDir, id.repo);
  const missing: PlannedFile[] = [];
  for (const file of plan) if (!(await blobIsIntact(file.blob, file.etag, file.size))) missing.push(file);
  const totals: FetchTotals = { allBytes: 0, allTotal: missing.reduce((sum, file) => sum + file.size, 0) };
  for (const file of missing) await downloadBlob(id.repo, commit, file, hub, totals, options.onProgress);
  const dir = snapshotFolder(hub.cacheDir, id.repo, commit);
  for (const file of plan) await linkAtomically(file.blob, join(dir, file.path));
  if (revision !== commit) await writeAtomically(join(folder, 'refs', revision), commit);
  const downloaded = new Set(missing.map((file) => file.path));
  return { repo: id.repo, commit, dir, files: plan.map((file) => ({ path: file.path, size: file.size, downloaded: downloaded.has(file.path) })) };
}

/** The files to fetch: those of MODEL_FILES the repo has, and its first graph of the asked precision. */
function planFiles(name: string, repo: string, tree: ListFileEntry[], hub: HubConfig, quantized: boolean): PlannedFile[] {
  const files = new Map(tree.filter((entry) => entry.type === 'file').map((entry) => [entry.path, entry]));
  const graph = graphCandidates(quantized).find((path) => files.has(path));
  if (graph === undefined) {
    const onnx = [...files.keys()].filter((path) => path.endsWith('.onnx'));
    const weights = [...files.keys()].filter((path) => /\.(safetensors|bin|pt|h5|msgpack|gguf|onnx)$/.test(path));
    const has = weights.length > 0 ? weights.slice(0, 6).join(', ') : 'no weights file';
    const precision = quantized ? 'int8 ' : '';
    const otherPrecision = onnx.length > 0 ? ` (it has ONNX files of another precision: ${onnx.slice(0, 4).join(', ')}; ${quantized ? 'leave out --quantized' : 'add --quantized'})` : '';
    throw new EmbedlineError(
      'MODEL_FILE_MISSING',
      `${name} has no ${precision}ONNX graph (${graphCandidates(quantized).slice(0, 3).join(', ')}…); it has ${has}${otherPrecision}; make one with \`embedline model export ${repo} --out models/${repo.split('/')[1]}\``,
      { details: { repo, files: [...files.keys()] } },
    );
  }
  for (const required of REQUIRED_FILES) {
    if (!files.has(required)) throw new EmbedlineError('MODEL_FILE_MISSING', `${name} has no ${required}, which embedline needs beside the graph`, { details: { repo } });
  }
  const folder = repoFolder(hub.cacheDir, repo);
  return [...MODEL_FILES, graph]
    .filter((path) => files.has(path))
    .map((path) => {
      const entry = files.get(path) as ListFileEntry;
      const etag = entry.lfs?.oid ?? entry.oid;
      if (!etag) throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${hub.endpoint} gave no hash for ${name}/${path}`, { retryable: true });
      return { path, size: entry.lfs?.size ?? entry.size, etag, blob: join(folder, 'blobs', etag) };
    });
}

/** One file into blobs/<etag>: streamed through its hash into a temporary name, renamed only when whole and right. */
async function downloadBlob(
  repo: string,
  commit: string,
  file: PlannedFile,
  hub: HubConfig,
  totals: FetchTotals,
  onProgress: FetchOptions['onProgress'],
): Promise<void> {
  const name = `${repo}/${file.path}`;
  const content = await hubError(repo, hub, () => downloadFile({ hubUrl: hub.endpoint, accessToken: hub.token, repo: { type: 'model', name: repo }, path: file.path, revision: commit }));
  if (!content) throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${hub.endpoint} listed ${name} but does not serve it`, { retryable: true });
  await mkdir(dirname(file.blob), { recursive: true });
  await removeAbandoned(file.blob);
  const temporary = `${file.blob}.${randomBytes(4).toString('hex')}.incomplete`;
  const hasher = etagHasher(file.etag, file.size);
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(content.stream() as WebReadableStream),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          bytes += chunk.length;
          totals.allBytes += chunk.length;
          hasher?.update(chunk);
          onProgress?.({ file: file.path, bytes, total: file.size, ...totals });
          yield chunk;
        }
      },
      createWriteStream(temporary),
    );
    if (bytes !== file.size) throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${name}: received ${bytes} of ${file.size} bytes`, { retryable: true });
    const digest = hasher?.digest('hex');
    if (digest !== undefined && digest !== file.etag) {
      throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `${name}: the received file's hash ${digest.slice(0, 12)}… is not the Hub's ${file.etag.slice(0, 12)}…`, { retryable: true });
    }
    await rename(temporary, file.blob);
  } catch (err) {
    await rm(temporary, { force: true });
    if (err instanceof EmbedlineError) throw err;
    throw new EmbedlineError('MODEL_DOWNLOAD_FAILED', `download of ${name} from ${hub.endpoint} broke off after ${bytes} of ${file.size} bytes (${networkReason(err)}); run the same command again`, {
      retryable: true,
      cause: err,
    });
  }
}

/** A download that is still going writes every second or so; one silent for this long was killed. */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** Removes what killed fetches left of this blob (`<blob>.<random>.incomplete`, not written to for a while). */
async function removeAbandoned(blob: string): Promise<void> {
  const prefix = `${basename(blob)}.`;
  for (const name of await readdir(dirname(blob))) {
    if (!name.startsWith(prefix) || !name.endsWith('.incomplete')) continue;
    const path = join(dirname(blob), name);
    const modified = await stat(path).then((s) => s.mtimeMs, () => Date.now());
    if (Date.now() - modified > ABANDONED_AFTER_MS) await rm(path, { force: true });
  }
}

/** `link` -> `target` as a relative symlink (the cache's layout), replacing any link there in one rename. */
async function linkAtomically(target: string, link: string): Promise<void> {
  await mkdir(dirname(link), { recursive: true });
  const temporary = `${link}.${randomBytes(4).toString('hex')}.tmp`;
  await symlink(relative(dirname(link), target), temporary);
  await rename(temporary, link);
}

async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
