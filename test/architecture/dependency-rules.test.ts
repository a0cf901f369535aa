// The import rules of .dependency-cruiser.cjs can fail: run on a small project laid out like src/,
// they report exactly the imports the allow-list forbids (another folder, a package not listed,
// a value where only types are allowed, the CLI or core from below, a cycle) and accept the listed ones.
// `npm run lint:deps` runs the same rules on the real src/.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { PROJECT_ROOT } from '../support/run-cli.ts';
import { tempDir } from '../support/temp-files.ts';

const rules = createRequire(import.meta.url)(join(PROJECT_ROOT, '.dependency-cruiser.cjs'));

/** Fixture files: path → the modules it imports (a `type:` prefix makes it a type-only import). */
const FIXTURE: Record<string, string[]> = {
  'src/errors.ts': [],
  'src/log.ts': [],
  'src/config.ts': ['./errors.ts', 'zod'],
  'src/contracts/chunk.ts': ['../errors.ts', 'type:../embed/pooling.ts'],
  'src/embed/pooling.ts': ['../errors.ts', '../log.ts', 'node:fs', 'onnxruntime-node'],
  'src/embed/leaky.ts': ['../queue/jobs.ts', 'bullmq', 'node:http'],
  'src/queue/jobs.ts': ['bullmq', '../config.ts', 'type:../contracts/chunk.ts'],
  'src/queue/greedy.ts': ['../embed/pooling.ts'],
  'src/store/types-only.ts': ['type:../embed/pooling.ts', '@lancedb/lancedb'],
  'src/store/values.ts': ['../embed/pooling.ts'],
  'src/producer/ingest.ts': ['../embed/pooling.ts', '../queue/jobs.ts', '../store/types-only.ts', 'csv-parse'],
  'src/producer/runs-itself.ts': ['../core/run.ts', 'fastify'],
  'src/core/run.ts': ['../producer/ingest.ts', '../store/types-only.ts'],
  'src/cli/main.ts': ['../core/run.ts', 'commander'],
  'src/search/service.ts': ['../embed/pooling.ts', '../cli/main.ts'],
  'src/worker/a.ts': ['./b.ts', '../queue/jobs.ts', '../store/values.ts', 'bullmq'],
  'src/worker/b.ts': ['./a.ts'],
  'src/index.ts': ['./core/run.ts', './embed/pooling.ts'],
};

function writeFixture(root: string): void {
  for (const [path, imports] of Object.entries(FIXTURE)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    const lines = imports.map((spec, i) =>
      spec.startsWith('type:') ? `import type * as t${i} from '${spec.slice(5)}';` : `import * as m${i} from '${spec}';\nvoid m${i};`,
    );
    writeFileSync(join(root, path), `${lines.join('\n')}\nexport const here = 1;\n`);
  }
  symlinkSync(join(PROJECT_ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
}

test('the allow-list reports every forbidden import in a fixture and nothing else', async (t) => {
  const root = tempDir(t);
  writeFixture(root);
  const cwd = process.cwd();
  process.chdir(root); // depcruise resolves the rules' paths and the tsconfig from here
  let output: ICruiseResult;
  try {
    const result = await cruise(['src'], { ruleSet: { allowed: rules.allowed, allowedSeverity: rules.allowedSeverity, forbidden: rules.forbidden }, validate: true, ...rules.options });
    output = result.output as ICruiseResult;
  } finally {
    process.chdir(cwd);
  }
  const short = (path: string) => path.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1');
  const found = output.summary.violations.map((v) => `${v.from} -> ${short(v.to)} (${v.rule.name})`).sort();
  const expected = [
    'src/embed/leaky.ts -> bullmq (not-in-allowed)',
    'src/embed/leaky.ts -> http (embed-no-network)',
    'src/embed/leaky.ts -> src/queue/jobs.ts (not-in-allowed)',
    'src/producer/runs-itself.ts -> fastify (not-in-allowed)',
    'src/producer/runs-itself.ts -> src/core/run.ts (not-in-allowed)',
    'src/queue/greedy.ts -> src/embed/pooling.ts (not-in-allowed)',
    'src/search/service.ts -> src/cli/main.ts (nothing-imports-cli)',
    'src/search/service.ts -> src/cli/main.ts (not-in-allowed)',
    'src/store/values.ts -> src/embed/pooling.ts (not-in-allowed)',
    'src/worker/a.ts -> src/worker/b.ts (no-cycles)',
  ];
  assert.deepEqual(found, expected.sort());
});
