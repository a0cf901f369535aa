// The parts of the fault report other scripts produce, picked up from the files they leave on main:
// fault 3 (store outage, bench/faults/store-outage.ts → last-store-outage.md), the API fuzz
// (→ last-fuzz.md), the version-ordering scenarios (versions.ts → last-versions.md) and the
// bad-input fixtures under test/. Each is quoted (its tables) and linked,
// or reported missing: this runner never re-measures what another script owns.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';

export interface PeerReport {
  /** Where else the same fault is covered, when the report file is missing. */
  alsoCoveredBy?: string;
  title: string;
  /** Repository-relative path of the report file. */
  file: string;
  /** The report's markdown tables and bullet lines (its figures), or undefined when it is missing. */
  excerpt?: string;
  /** When the report says it was written (its first line), if it does. */
  heading?: string;
}

const FAULTS_DIR = join(PROJECT_ROOT, 'bench', 'faults');

export function peerReports(): PeerReport[] {
  return [
    { ...peerReport('Fault 3: store unavailable (bench/faults/store-outage.ts)', 'last-store-outage.md'), alsoCoveredBy: coveredBy('test/ingest/store-outage.test.ts') },
    peerReport('API fuzz against `serve`', 'last-fuzz.md'),
    { ...peerReport('Version ordering: writes never go backwards (bench/faults/versions.ts)', 'last-versions.md'), alsoCoveredBy: coveredBy('test/ingest/versioned-writes.test.ts') },
  ];
}

function coveredBy(testFile: string): string | undefined {
  return existsSync(join(PROJECT_ROOT, testFile)) ? testFile : undefined;
}

function peerReport(title: string, fileName: string): PeerReport {
  const path = join(FAULTS_DIR, fileName);
  const file = relative(PROJECT_ROOT, path);
  if (!existsSync(path)) return { title, file };
  const lines = readFileSync(path, 'utf8').split('\n');
  const figures = lines.filter((line) => /^\s*(\||- )/.test(line));
  return { title, file, heading: lines[0]?.replace(/^#+\s*/, ''), excerpt: figures.join('\n') };
}

export interface FixtureCount {
  /** Where the count comes from. */
  source: string;
  /** Cases per group (csv, jsonl, folder, …), or files per folder when there is no case table. */
  groups: Record<string, number>;
  total: number;
}

/** The producer-input helper's case table, which exports BAD_INPUT_COUNTS for this report. */
const CASE_TABLE = join(PROJECT_ROOT, 'test', 'fixtures', 'bad-input', 'cases.ts');

/** The bad-input fixtures: the case table's counts per group, else the files in bad-input folders under test/. */
export async function badInputFixtures(): Promise<FixtureCount> {
  if (existsSync(CASE_TABLE)) {
    // Imported by path at run time: the table is another helper's file and may not exist on every branch.
    const table = (await import(pathToFileURL(CASE_TABLE).href)) as { BAD_INPUT_COUNTS?: Record<string, number> };
    if (table.BAD_INPUT_COUNTS) {
      const groups = table.BAD_INPUT_COUNTS;
      return { source: relative(PROJECT_ROOT, CASE_TABLE), groups, total: Object.values(groups).reduce((a, b) => a + b, 0) };
    }
  }
  const groups: Record<string, number> = {};
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (/bad[-_]?input/i.test(entry.name)) groups[relative(PROJECT_ROOT, path)] = countFiles(path);
      else visit(path);
    }
  };
  visit(join(PROJECT_ROOT, 'test'));
  return { source: 'files in bad-input folders under test/', groups, total: Object.values(groups).reduce((a, b) => a + b, 0) };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countFiles(join(dir, entry.name));
    else n++;
  }
  return n;
}
