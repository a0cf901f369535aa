// docs/ARCHITECTURE.md's import table is the one .dependency-cruiser.cjs enforces: the rules file exports
// its table (SHARED, ALLOWED), this renders it the way the page shows it and compares row by row, so a
// rule changed without the page (or the page edited by hand) fails here, naming the part.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../support/run-cli.ts';

interface PartRule {
  ours: string[];
  typesFrom?: string[];
  npm: string[];
  shared?: string[];
}

const { parts } = createRequire(import.meta.url)(join(PROJECT_ROOT, '.dependency-cruiser.cjs')) as {
  parts: { SHARED: string[]; ALLOWED: Record<string, PartRule> };
};

const names = (list: string[] | undefined): string => (list?.length ? list.map((name) => `\`${name}\``).join(', ') : '—');

/** One table row as the page writes it: part | other parts | types only from | shared modules | npm. */
function row(part: string, rule: PartRule): string {
  const shared = rule.shared ? names(rule.shared.filter((name) => name !== part)) : 'all';
  return `| \`${part}\` | ${names(rule.ours)} | ${names(rule.typesFrom)} | ${shared} | ${names(rule.npm)} |`;
}

/** The page's table rows, keyed by part (the first cell without its backticks). */
function pageRows(): Map<string, string> {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const section = page.slice(page.indexOf('## Import rules'), page.indexOf('## How to add'));
  const rows = section.split('\n').filter((line) => /^\| `[^`]+` \|/.test(line));
  return new Map(rows.map((line) => [line.slice(3, line.indexOf('`', 3)), line]));
}

test('the import table on the architecture page equals the rules dependency-cruiser enforces', () => {
  const page = pageRows();
  assert.ok(page.size > 0, 'docs/ARCHITECTURE.md has no import table under "## Import rules"');
  assert.deepEqual([...page.keys()].sort(), Object.keys(parts.ALLOWED).sort(), 'the page lists other parts than the rules');
  for (const [part, rule] of Object.entries(parts.ALLOWED)) {
    assert.equal(page.get(part), row(part, rule), `docs/ARCHITECTURE.md's row for ${part} differs from .dependency-cruiser.cjs`);
  }
});

test('every shared module the rules name is on the page', () => {
  const page = readFileSync(join(PROJECT_ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  for (const name of parts.SHARED) assert.ok(page.includes(`\`${name}\``), `the page does not name the shared module ${name}`);
});
