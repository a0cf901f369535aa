// Builds what the published package runs: src/ compiled to dist/ as JavaScript with type
// declarations (tsc rewrites the `.ts` import specifiers to `.js`), plus the runtime files that are
// not TypeScript (the ONNX session thread, the search page), copied to the same relative places so
// the code finds them as it does in src/. Run by `npm pack` / `npm publish` (prepack).
//
// Why a build at all: the checkout runs TypeScript through tsx with `.ts` specifiers, which Node
// refuses to load from node_modules; a consumer must get plain JavaScript and .d.ts files. Why not
// for the checkout: bin/embedline.js runs src/ directly when it is there, so a stale dist/ can never
// shadow the source. dist/ is not committed (.gitignore).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const copied = [];
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = join(entry.parentPath, entry.name);
  const to = join(dist, relative(src, from));
  cpSync(from, to);
  copied.push(relative(root, to));
}
process.stderr.write(`build-package: compiled src/ to dist/, copied ${copied.length} runtime files (${copied.join(', ')})\n`);
