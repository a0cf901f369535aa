// The fault suite's report: one table (fault, runs, expected, found, duplicates, lost, recovery
// time), what happened in each run, the clean references, and the figures of the other fault
// scripts (store outage, API fuzz) and the bad-input fixture count.
import type { CleanRun } from './clean-run.ts';
import type { FaultResult } from './fault-result.ts';
import type { FixtureCount, PeerReport } from './peer-results.ts';

export interface SuiteReport {
  startedAt: Date;
  minutes: number;
  command: string;
  settings: string[];
  machine: string;
  clean?: CleanRun;
  results: FaultResult[];
  peers: PeerReport[];
  fixtures: FixtureCount;
}

function verdict(r: FaultResult): string {
  if (r.notes.some((n) => n.startsWith('harness error'))) return 'harness error';
  if (r.silentLoss) return r.exact ? '**silent loss** (healed by re-run)' : '**SILENT LOSS**';
  if (r.notes.some((n) => n.includes('HUNG'))) return r.exact ? '**hang** (healed by re-run)' : '**HANG**';
  return r.exact ? 'exact' : '**NOT EXACT**';
}

const cell = (n: number | undefined) => (n === undefined ? '—' : n.toLocaleString('en-US'));

export function faultTable(results: readonly FaultResult[]): string[] {
  return [
    '| fault | store | runs | expected points | found points | duplicates | lost | recovery time | result |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...results.map((r) => {
      const c = r.comparison;
      const recovery = r.recoverySeconds === undefined ? 'never' : `${r.recoverySeconds.toFixed(1)} s`;
      const extra = c && (c.unexpected > 0 || c.wrongContent > 0) ? ` (+${c.unexpected} unexpected, ${c.wrongContent} wrong content)` : '';
      return `| ${r.id}. ${r.fault} | ${r.store} | ${r.runs} | ${cell(c?.expected)} | ${cell(c?.found)} | ${cell(c?.duplicates)} | ${cell(c?.lost)}${extra} | ${recovery} | ${verdict(r)} |`;
    }),
  ];
}

export function renderReport(report: SuiteReport): string {
  const lines = [
    `# embedline fault suite — ${report.startedAt.toISOString()}`,
    '',
    `\`${report.command}\` — ${report.minutes.toFixed(1)} minutes in all. ${report.machine}`,
    '',
    ...report.settings.map((s) => `- ${s}`),
    '',
    ...faultTable(report.results),
    '',
    'found = rows in the store (duplicates and strays included); lost = ids of the clean run the store lacks; recovery time = from the (last) fault to the collection being complete and exact (for faults whose remedy is a re-run, the re-run included); "never" = not exact at the end.',
    '',
    '## What happened',
    '',
    ...report.results.flatMap((r) => [`**${r.id}. ${r.fault}** (${r.store})`, '', ...r.notes.map((n) => `- ${n}`), '']),
    '## Clean reference',
    '',
    report.clean
      ? `- ${report.clean.store} store: ${report.clean.rows.length} points; ${report.clean.description}${report.clean.problems.length > 0 ? `; PROBLEMS: ${report.clean.problems.join('; ')}` : ''}. Every store is compared with it (Qdrant included: ids derive from the collection name, payloads and vectors must match).`
      : '- none (the suite failed before it)',
    '',
    '## Store outage, API fuzz, version ordering, bad input (other scripts)',
    '',
    ...report.peers.flatMap((p) => (p.excerpt === undefined ? [`- ${p.title}: \`${p.file}\` is not on this branch yet (not run)${p.alsoCoveredBy ? `; the fault is tested by \`${p.alsoCoveredBy}\` (npm test)` : ''}.`, ''] : [`### ${p.title}`, '', `From \`${p.file}\`${p.heading ? ` (${p.heading})` : ''}:`, '', p.excerpt, ''])),
    report.fixtures.total > 0
      ? `- Bad-input fixtures: **${report.fixtures.total}** (${Object.entries(report.fixtures.groups).map(([g, n]) => `${g} ${n}`).join(', ')}; from ${report.fixtures.source}), each with its exact expected outcome, run by npm test.`
      : '- Bad-input fixtures: none found under `test/` yet.',
  ];
  return lines.join('\n') + '\n';
}
