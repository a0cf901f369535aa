// src/config.ts is the one place that reads the environment: every other module gets
// typed options, so a variable cannot be read twice with two meanings or a bad value be ignored.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../support/run-cli.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [path] : [];
  });
}

test('nothing in src but config.ts reads or writes process.env', () => {
  const src = join(PROJECT_ROOT, 'src');
  const offenders = sourceFiles(src)
    .filter((path) => relative(src, path) !== 'config.ts')
    .flatMap((path) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/process\.env\b|process\[['"]env['"]\]/.test(line) ? [`src/${relative(src, path)}:${i + 1}`] : [])),
    );
  assert.deepEqual(offenders, []);
});
