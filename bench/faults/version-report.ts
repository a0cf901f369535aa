// The version-ordering scenarios' report: one table (expected version, documents found exactly at
// it, older, mixed, missing, duplicates, superseded jobs, time), then what happened in each.
import type { VersionResult } from './version-result.ts';

export interface VersionReport {
  startedAt: Date;
  minutes: number;
  command: string;
  settings: string[];
  machine: string;
  results: VersionResult[];
}

function verdict(r: VersionResult): string {
  if (r.notes.some((n) => n.startsWith('harness error'))) return 'harness error';
  if (r.silentLoss) return '**SILENT LOSS**';
  return r.exact ? 'exact' : '**NOT EXACT**';
}

const cell = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString('en-US'));

export function versionTable(results: readonly VersionResult[]): string[] {
  return [
    '| scenario | store | expected at the end | documents exact / expected | older | mixed | missing | extra | duplicate rows | superseded jobs | failed jobs | time | result |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) => {
      const c = r.check;
      const found = c ? `${cell(c.current)} / ${cell(c.documents)}` : '—';
      return `| ${r.id}. ${r.scenario} | ${r.store} | ${r.expected} | ${found} | ${cell(c?.older)} | ${cell(c?.mixed)} | ${cell(c?.missing.length)} | ${cell(c?.extra.length)} | ${cell(c?.duplicates)} | ${cell(r.superseded)} | ${cell(r.failedJobs)} | ${r.seconds.toFixed(1)} s | ${verdict(r)} |`;
    }),
  ];
}

export function renderVersionReport(report: VersionReport): string {
  return [
    `# embedline version-ordering scenarios — ${report.startedAt.toISOString()}`,
    '',
    `\`${report.command}\` — ${report.minutes.toFixed(1)} minutes in all. ${report.machine}`,
    '',
    ...report.settings.map((s) => `- ${s}`),
    '',
    ...versionTable(report.results),
    '',
    'documents exact = documents whose chunks are all of the expected text, indices 0..n-1 under one content hash that records n; older = every chunk of another version; mixed = chunks of two versions; extra = documents that should not be there; superseded jobs = jobs workers completed without writing, their documents having moved on (run counters, as `embedline status` shows them); time = the whole scenario, set-up ingests included.',
    '',
    '## What happened',
    '',
    ...report.results.flatMap((r) => [`**${r.id}. ${r.scenario}** (${r.store})`, '', ...r.notes.map((n) => `- ${n}`), '']),
  ].join('\n') + '\n';
}
