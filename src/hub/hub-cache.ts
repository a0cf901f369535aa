// The standard Hugging Face cache, as Python's huggingface_hub and @huggingface/hub lay it out:
// <cache>/models--org--name/{blobs/<etag>, snapshots/<commit>/<path> -> ../../blobs/<etag>,
// refs/<branch or tag> holding the commit}. A blob is named by its etag: the sha256 of a Git LFS
// file, the Git object id (sha1 of "blob <size>\0" + content) of a small one, so a blob can be
// checked against its own name. Reading only: src/hub/fetch-model.ts writes.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { getRepoFolderName } from '@huggingface/hub';
import type { HubModelId } from './model-name.ts';

export const COMMIT = /^[0-9a-f]{40}$/;

/** `<cache>/models--org--name`. */
export function repoFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, getRepoFolderName({ type: 'model', name: repo }));
}

export function snapshotFolder(cacheDir: string, repo: string, commit: string): string {
  return join(repoFolder(cacheDir, repo), 'snapshots', commit);
}

/** The commit an id names in the cache: a commit itself, else what refs/<revision> (default main) holds. */
export function cachedCommit(cacheDir: string, id: HubModelId): string | undefined {
  if (id.revision !== undefined && COMMIT.test(id.revision)) return id.revision;
  const ref = join(repoFolder(cacheDir, id.repo), 'refs', id.revision ?? 'main');
  if (!existsSync(ref)) return undefined;
  const commit = readFileSync(ref, 'utf8').trim();
  return COMMIT.test(commit) ? commit : undefined;
}

/** The Git object id of a small (non-LFS) file: how the Hub and the cache name it. */
export function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** A streaming hash for a blob's etag: sha256 for LFS (64 hex), Git's blob id (40 hex) else; undefined for another kind of etag. */
export function etagHasher(etag: string, size: number): Hash | undefined {
  if (/^[0-9a-f]{64}$/.test(etag)) return createHash('sha256');
  if (COMMIT.test(etag)) return createHash('sha1').update(`blob ${size}\0`);
  return undefined;
}

/** Whether a cached blob holds what its name says (size when known, and hash). */
export async function blobIsIntact(path: string, etag: string, size?: number): Promise<boolean> {
  let actual: number;
  try {
    actual = (await stat(path)).size;
  } catch {
    return false;
  }
  if (size !== undefined && actual !== size) return false;
  const hasher = etagHasher(etag, actual);
  if (!hasher) return true;
  for await (const chunk of createReadStream(path)) hasher.update(chunk as Buffer);
  return hasher.digest('hex') === etag;
}

/** The blob a snapshot file points to, and the etag it is named by (undefined: not a cache symlink). */
export function snapshotBlob(file: string): { path: string; etag: string } | undefined {
  try {
    readlinkSync(file);
  } catch {
    return undefined;
  }
  const path = realpathSync(file);
  return { path, etag: basename(path) };
}
