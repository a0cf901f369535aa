// The parts of the fault report other scripts produce, picked up from the files they leave on main:
// fault 3 (store outage, bench/faults/store-outage.ts → last-store-outage.md), the API fuzz
// (→ last-fuzz.md) and the bad-input fixtures under test/. Each is quoted (its tables) and linked,
// or reported missing: this runner never re-measures what another script owns.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from '../../test/support/run-cli.ts';

export interface PeerReport {
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
    peerReport('Fault 3: store unavailable (bench/faults/store-outage.ts)', 'last-store-outage.md'),
    peerReport('API fuzz against `serve`', 'last-fuzz.md'),
  ];
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
  folders: string[];
  files: number;
}

/** Bad-input fixtures: the files in every folder under test/ whose name says bad input. */
export function badInputFixtures(): FixtureCount {
  const folders: string[] = [];
  let files = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (/bad[-_]?input/i.test(entry.name)) {
        folders.push(relative(PROJECT_ROOT, path));
        files += countFiles(path);
      } else visit(path);
    }
  };
  visit(join(PROJECT_ROOT, 'test'));
  return { folders, files };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) n += countFiles(path);
    else if (entry.isFile() || statSync(path, { throwIfNoEntry: false })?.isFile()) n++;
  }
  return n;
}
