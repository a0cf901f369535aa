// API fuzz against a real `embedline serve` (its own process, the CLI a user runs) over the sample
// collection with an API key: N generated requests (valid and invalid shapes,
// random bytes, deep filters, huge k, bodies up to 10 MB, lone surrogates, traversal in names,
// missing/wrong key, odd methods; test/support/fuzz-requests.ts), then C concurrent search
// connections at once. Counts 5xx (must be 0), hangs over 5 s (0), error bodies outside the
// documented shape (0), the server's RSS before, after, and after 30 s idle; prints a table and
// writes bench/faults/last-fuzz.md.
//   npx tsx bench/faults/api-fuzz.ts [--requests 10000] [--concurrency 32] [--burst 500]
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzRequests, fuzzServer, isErrorShape } from '../../test/support/fuzz-requests.ts';
import { isolatedEnv } from '../../test/support/isolated-env.ts';
import { rawRequest } from '../../test/support/raw-http.ts';
import { PROJECT_ROOT, startCli } from '../../test/support/run-cli.ts';
import { buildSampleCollection } from '../../test/support/sample-collection.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    burst: { type: 'string', default: '500' },
    seed: { type: 'string', default: '11' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const BURST = Number(values.burst);
const HANG_MS = 5000;
const IDLE_MS = 30_000;
const API_KEY = 'fuzz-bench-key';

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

const iso = isolatedEnv('api-fuzz-bench');
await buildSampleCollection(iso, 'articles');
const server = startCli(['serve', '--port', '0', '--host', '127.0.0.1'], { env: { ...iso.env, EMBEDLINE_API_KEY: API_KEY }, ready: /"event":"serve.ready"/, timeoutMs: 120_000 });
try {
  await server.ready;
  const ready = server.output().stderr.split('\n').find((line) => line.includes('"serve.ready"'));
  const port = Number(new URL((JSON.parse(ready ?? '{}') as { url: string }).url).port);
  const pid = server.child.pid ?? 0;
  const send = (bytes: Buffer, ms: number) => rawRequest(port, bytes, ms);

  // A few valid searches and the embedding endpoints' model info first, so that the baseline has
  // the models loaded (the first /info loads the served model folder: seconds on a busy machine,
  // a start-up cost rather than a hang) and the caches warm.
  const warm = fuzzRequests(50, 1, { collection: 'articles', apiKey: API_KEY, bigBodyBytes: 1024 }).filter((r) => r.kind.startsWith('valid'));
  await fuzzServer(send, warm, { concurrency: 4, hangMs: 30_000 });
  await send(Buffer.from(`GET /info HTTP/1.1\r\nHost: w\r\nConnection: close\r\nAuthorization: Bearer ${API_KEY}\r\n\r\n`), 60_000);
  const rssBefore = rssMb(pid);

  const started = performance.now();
  const requests = fuzzRequests(REQUESTS, Number(values.seed), { collection: 'articles', apiKey: API_KEY, bigBodyBytes: 10 * 1024 * 1024 });
  const tally = await fuzzServer(send, requests, { concurrency: CONCURRENCY, hangMs: HANG_MS });
  const fuzzSeconds = (performance.now() - started) / 1000;
  const rssAfterFuzz = rssMb(pid);

  // C search connections opened at once: each is answered (200, or 503 OVERLOADED past the queue
  // bound) or refused at the socket; none hangs, none gets another 5xx.
  const burstBody = (i: number) => JSON.stringify({ query: `burst question ${i} about stars and energy`, k: 10 });
  const burst = await Promise.all(
    Array.from({ length: BURST }, (_, i) =>
      rawRequest(
        port,
        `POST /v1/collections/articles/search HTTP/1.1\r\nHost: b\r\nConnection: close\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(burstBody(i))}\r\n\r\n${burstBody(i)}`,
        60_000,
      ),
    ),
  );
  const burstCount = (f: (r: (typeof burst)[number]) => boolean) => burst.filter(f).length;
  const burstOk = burstCount((r) => r.status === 200);
  const burstOverloaded = burstCount((r) => r.status === 503 && r.body.includes('"OVERLOADED"'));
  const burstOther5xx = burstCount((r) => r.status >= 500 && !r.body.includes('"OVERLOADED"'));
  const burstRefused = burstCount((r) => r.status === 0 && !r.timedOut);
  const burstHung = burstCount((r) => r.timedOut);
  const burstBadShape = burstCount((r) => r.status >= 400 && !isErrorShape(r.body));
  const burstSlowest = Math.max(...burst.map((r) => r.ms));
  const rssAfterBurst = rssMb(pid);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const rssIdle = rssMb(pid);

  const kinds = new Map<string, number>();
  for (const r of requests) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  const statuses = Object.entries(tally.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const pass = tally.serverErrors.length === 0 && tally.hangs.length === 0 && tally.badShape.length === 0 && burstOther5xx === 0 && burstHung === 0 && burstBadShape === 0;

  const table = [
    '| measure | value | wanted |',
    '| --- | ---: | --- |',
    `| generated requests | ${REQUESTS} (${CONCURRENCY} at a time, ${fuzzSeconds.toFixed(0)} s) | 10,000 |`,
    `| 5xx responses | ${tally.serverErrors.length} | 0 |`,
    `| hangs over ${HANG_MS / 1000} s | ${tally.hangs.length} | 0 |`,
    `| error bodies outside \`{"error":{"code","message"}}\` | ${tally.badShape.length} | 0 |`,
    `| connections closed without an answer | ${tally.closedWithoutAnswer} | (counted) |`,
    `| slowest answer | ${(tally.slowestMs / 1000).toFixed(2)} s | < 5 s |`,
    `| ${BURST} concurrent searches: 200 / 503 OVERLOADED / refused at the socket | ${burstOk} / ${burstOverloaded} / ${burstRefused} | all answered or refused cleanly |`,
    `| ${BURST} concurrent searches: other 5xx / hung / bad shape | ${burstOther5xx} / ${burstHung} / ${burstBadShape} | 0 / 0 / 0 |`,
    `| ${BURST} concurrent searches: slowest answer | ${(burstSlowest / 1000).toFixed(2)} s | |`,
    `| server RSS: warm baseline → after the fuzz → after the burst → after ${IDLE_MS / 1000} s idle | ${rssBefore} → ${rssAfterFuzz} → ${rssAfterBurst} → ${rssIdle} MB | flat |`,
  ].join('\n');
  const report = [
    `# API fuzz against \`embedline serve\` (${new Date().toISOString()})`,
    '',
    `\`npx tsx bench/faults/api-fuzz.ts --requests ${REQUESTS} --concurrency ${CONCURRENCY} --burst ${BURST} --seed ${values.seed}\`: a real \`embedline serve\``,
    `process (API key set) over the sample collection, after a warm-up (searches, and \`/info\`, whose first call loads the served model); ${availableParallelism()} cores, load average ${loadavg()[0].toFixed(1)} at the end (other work shared the machine).`,
    `Result: **${pass ? 'pass' : 'FAIL'}**.`,
    '',
    table,
    '',
    `- Statuses: ${statuses}.`,
    `- Request kinds: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}.`,
    ...tally.serverErrors.slice(0, 5).map((e) => `- 5xx: request ${e.index} (${e.kind}) → ${e.status} ${e.body}`),
    ...tally.hangs.slice(0, 5).map((h) => `- hang: request ${h.index} (${h.kind})`),
    ...tally.badShape.slice(0, 5).map((e) => `- bad shape: request ${e.index} (${e.kind}) → ${e.status} ${e.body}`),
    '',
  ].join('\n');
  process.stdout.write(`${table}\n`);
  writeFileSync(join(PROJECT_ROOT, 'bench', 'faults', 'last-fuzz.md'), report);
  process.exitCode = pass ? 0 : 1;
} finally {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.exited;
  clearTimeout(timer);
  await iso.cleanup();
}
