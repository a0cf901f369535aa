// A stand-in for the Hugging Face Hub on a local port, in the Hub's own URL layout and with the
// metadata both clients read, so the download path is tested without the real Hub:
//   GET  /api/models/<org>/<name>/revision/<rev>     repo info (sha = the commit, siblings)
//   GET  /api/models/<org>/<name>/tree/<rev>         file list (oid, size, lfs {oid = sha256, size})
//   HEAD|GET /<org>/<name>/resolve/<rev>/<path>      the file, with X-Repo-Commit, ETag and, for LFS
//        files, X-Linked-Etag / X-Linked-Size; Range requests answered 206 with Content-Range
// (@huggingface/hub probes with `Range: bytes=0-0`; Python's huggingface_hub sends HEAD, then GET).
// Unknown repos and files are 404 with the Hub's X-Error-Code; a gated repo without its token is
// 401. A file can be set to break off
// after some bytes (a server that drops mid-file); every byte served is counted per file.
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepoFiles {
  /** Path in the repo -> local file holding its content. */
  [path: string]: string;
}

interface ServedFile {
  path: string;
  source: string;
  size: number;
  /** Git object id (sha1 of "blob <size>\0" + content): the etag of a small file. */
  oid: string;
  /** sha256: the etag of an LFS file. */
  sha256?: string;
}

interface ServedRepo {
  commit: string;
  files: Map<string, ServedFile>;
}

export interface FakeHub {
  url: string;
  commitOf(repo: string): string;
  /** Bytes served per `repo/path` in bodies of more than one byte (range probes not counted). */
  served: Map<string, number>;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  /** The next GETs of `repo/path` break off after `bytes` bytes. */
  dropAfter(repo: string, path: string, bytes: number): void;
  close(): Promise<void>;
}

/** Files over this size are Git LFS files on the Hub (their etag is their sha256). */
const LFS_FROM = 1_000_000;

function describeFile(path: string, source: string): ServedFile {
  const content = readFileSync(source);
  const oid = createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
  const lfs = content.length >= LFS_FROM || path.endsWith('.onnx');
  return { path, source, size: content.length, oid, sha256: lfs ? createHash('sha256').update(content).digest('hex') : undefined };
}

/** Gated repos: repo -> the token (`Authorization: Bearer …`) every request for it must carry, else 401. */
export type FakeHubTokens = Record<string, string>;

export async function startFakeHub(repos: Record<string, FakeRepoFiles>, tokens: FakeHubTokens = {}): Promise<FakeHub> {
  const served = new Map<string, number>();
  const requests: string[] = [];
  const drops = new Map<string, number>();
  const table = new Map<string, ServedRepo>();
  for (const [repo, files] of Object.entries(repos)) {
    const commit = createHash('sha1').update(`commit of ${repo}`).digest('hex');
    table.set(repo, { commit, files: new Map(Object.entries(files).map(([path, source]) => [path, describeFile(path, source)])) });
  }

  const notFound = (res: ServerResponse, code: string, message: string) => {
    res.writeHead(404, { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message });
    res.end(JSON.stringify({ error: message }));
  };

  const repoAt = (req: IncomingMessage, res: ServerResponse, repo: string, revision: string): ServedRepo | undefined => {
    const found = table.get(repo);
    if (!found) return void notFound(res, 'RepoNotFound', 'Repository not found');
    if (tokens[repo] !== undefined && req.headers.authorization !== `Bearer ${tokens[repo]}`) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'X-Error-Code': 'GatedRepo' });
      return void res.end(JSON.stringify({ error: `Access to model ${repo} is restricted. You must have access to it and be authenticated to access it.` }));
    }
    if (revision !== 'main' && revision !== 'HEAD' && revision !== found.commit) return void notFound(res, 'RevisionNotFound', `Invalid rev id: ${revision}`);
    return found;
  };

  const sendFile = (req: IncomingMessage, res: ServerResponse, repo: string, found: ServedRepo, file: ServedFile) => {
    const headers: Record<string, string | number> = {
      'X-Repo-Commit': found.commit,
      ETag: `"${file.sha256 ?? file.oid}"`,
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
    };
    if (file.sha256) Object.assign(headers, { 'X-Linked-Etag': `"${file.sha256}"`, 'X-Linked-Size': file.size });
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] !== '' ? Math.min(Number(range[2]), file.size - 1) : file.size - 1;
    const length = Math.max(0, end - start + 1);
    if (range) headers['Content-Range'] = `bytes ${start}-${end}/${file.size}`;
    headers['Content-Length'] = length;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD' || length === 0) return void res.end();
    const key = `${repo}/${file.path}`;
    const drop = drops.get(key);
    const stream = createReadStream(file.source, { start, end: drop === undefined ? end : Math.min(end, start + drop - 1) });
    stream.on('data', (chunk) => {
      if (length > 1) served.set(key, (served.get(key) ?? 0) + chunk.length);
    });
    stream.on('end', () => (drop === undefined ? undefined : res.destroy()));
    stream.pipe(res, { end: drop === undefined });
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub');
    requests.push(`${req.method} ${url.pathname}`);
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    if (parts[0] === 'api' && parts[1] === 'models') {
      const repo = `${parts[2]}/${parts[3]}`;
      const found = repoAt(req, res, repo, parts[5] ?? 'main');
      if (!found) return;
      const files = [...found.files.values()];
      res.writeHead(200, { 'Content-Type': 'application/json' });
      if (parts[4] === 'revision') {
        return void res.end(JSON.stringify({ _id: repo, id: repo, modelId: repo, sha: found.commit, private: false, gated: false, disabled: false, downloads: 0, likes: 0, tags: [], siblings: files.map((f) => ({ rfilename: f.path })) }));
      }
      if (parts[4] === 'tree') {
        const folders = [...new Set(files.flatMap((f) => (f.path.includes('/') ? [f.path.slice(0, f.path.lastIndexOf('/'))] : [])))];
        const entries = [
          ...folders.map((path) => ({ type: 'directory', oid: createHash('sha1').update(path).digest('hex'), size: 0, path })),
          ...files.map((f) => ({ type: 'file', oid: f.oid, size: f.size, path: f.path, ...(f.sha256 ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}) })),
        ];
        return void res.end(JSON.stringify(entries));
      }
    }
    if (parts[2] === 'resolve' && parts.length >= 5) {
      const repo = `${parts[0]}/${parts[1]}`;
      const found = repoAt(req, res, repo, parts[3]);
      if (!found) return;
      const file = found.files.get(parts.slice(4).join('/'));
      if (!file) return notFound(res, 'EntryNotFound', 'Entry not found');
      return sendFile(req, res, repo, found, file);
    }
    notFound(res, 'NotFound', 'no such route');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    commitOf: (repo) => table.get(repo)?.commit ?? '',
    served,
    requests,
    dropAfter: (repo, path, bytes) => drops.set(`${repo}/${path}`, bytes),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The shared MiniLM folder as the Hub holds sentence-transformers/all-MiniLM-L6-v2: graphs under onnx/, PyTorch weights beside them. */
export function miniLmHubFiles(modelDir: string, extraWeights: string): FakeRepoFiles {
  const files: FakeRepoFiles = {};
  for (const path of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'modules.json', 'sentence_bert_config.json', '1_Pooling/config.json', 'README.md']) {
    files[path] = `${modelDir}/${path}`;
  }
  files['onnx/model.onnx'] = `${modelDir}/model.onnx`;
  files['onnx/model_quantized.onnx'] = `${modelDir}/model_int8.onnx`;
  files['model.safetensors'] = extraWeights;
  statSync(extraWeights);
  return files;
}
