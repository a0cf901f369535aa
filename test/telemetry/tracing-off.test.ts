// Tracing costs nothing when it is off: with no OTEL_EXPORTER_OTLP_ENDPOINT the commands' tracing calls
// (a run's span, the traceparent for its jobs, a job's span) run without importing a single
// @opentelemetry package, as a module-resolution hook in a child process records; the same calls
// with tracing on do import the SDK (so the recorder is seen to work) and yield a W3C traceparent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PROJECT_ROOT } from '../support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'embedline-tracing-off-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/tracing');

function probe(tracesUrl?: string): { imports: string[]; traceparent: string | null } {
  const log = join(dir, `imports-${tracesUrl ? 'on' : 'off'}.txt`);
  writeFileSync(log, '');
  const env: NodeJS.ProcessEnv = { ...process.env, IMPORT_LOG: log };
  delete env.NODE_TEST_CONTEXT;
  if (tracesUrl) env.PROBE_TRACES_URL = tracesUrl;
  const out = execFileSync(process.execPath, ['--import', join(FIXTURES, 'record-imports.mjs'), '--import', 'tsx', join(FIXTURES, 'tracing-probe.ts')], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
  const imports = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { imports, ...(JSON.parse(out.trim().split('\n').at(-1)!) as { traceparent: string | null }) };
}

test('with tracing off, no @opentelemetry package is imported and jobs carry no traceparent', () => {
  const off = probe();
  assert.deepEqual(off.imports, []);
  assert.equal(off.traceparent, null);
});

test('with tracing on, the SDK is imported and a run hands its jobs a W3C traceparent', () => {
  // Nothing listens on port 1: the export fails, quietly, and the probe still ends.
  const on = probe('http://127.0.0.1:1/v1/traces');
  assert.ok(on.imports.includes('@opentelemetry/sdk-trace-base'), on.imports.join(', '));
  assert.match(on.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
});
