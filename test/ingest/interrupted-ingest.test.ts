// Ctrl-C (SIGINT) or SIGTERM during `embedline ingest` stops the run as any run that ends early does:
// the `--json` summary is printed with `lost` counted against the store, stderr has one `error:` line
// naming the signal, and the exit status is 128 + the signal's number. Running the same ingest again
// then ends exact. (Before, the signal killed the process with no summary at all.) The stopped runs
// queue for external workers (--workers 0) and none runs, so the signal always lands while the run
// waits and every document is lost: a fixed expectation, however fast the machine embeds.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbedQueue } from '../../src/queue/embed-queue.ts';
import { redisOptionsFromUrl } from '../../src/queue/redis-connection.ts';
import { cliErrors } from '../support/cli-errors.ts';
import { isolatedEnv } from '../support/isolated-env.ts';
import { runCli, startCli } from '../support/run-cli.ts';

const iso = isolatedEnv('interrupted-ingest');
const queue = new EmbedQueue(redisOptionsFromUrl(iso.env.REDIS_URL!), iso.prefix);
after(async () => {
  await queue.close();
  await iso.cleanup();
});

const DOCUMENTS = 320; // 5 jobs of 64 one-chunk documents

function writeCorpus(): string {
  const path = join(iso.dir, 'notes.csv');
  const topics = ['rivers', 'mountains', 'bread', 'engines', 'planets', 'violins', 'forests', 'markets'];
  const lines = ['id,body'];
  for (let i = 0; i < DOCUMENTS; i++) lines.push(`n${i},"Note ${i} is about ${topics[i % topics.length]} and the number ${i * 7}."`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function storedDocuments(collection: string): Promise<number> {
  const r = await runCli(['collections', '--json'], { env: iso.env });
  return (JSON.parse(r.stdout).collections as Array<{ name: string; documents: number }>).find((c) => c.name === collection)?.documents ?? 0;
}

for (const [signal, status, rerun] of [['SIGINT', 130, true], ['SIGTERM', 143, false]] as const) {
  test(`${signal} mid-ingest: the summary with lost, one error line, exit ${status}${rerun ? '; the same ingest again ends exact' : ''}`, async () => {
    const collection = `stopped-${signal.toLowerCase()}`;
    const args = ['ingest', writeCorpus(), '--collection', collection, '--text-column', 'body', '--id-column', 'id', '--json'];
    const before = (await queue.counts()).waiting;
    const run = startCli([...args, '--workers', '0'], { env: iso.env, ready: /ingest\.progress/, timeoutMs: 120_000 });
    await run.ready;
    // Every job queued: the run now waits for workers that never come.
    for (let waited = 0; (await queue.counts()).waiting < before + 5; waited += 50) {
      assert.ok(waited < 60_000, 'the run did not queue its 5 jobs within 60 s');
      await sleep(50);
    }
    run.child.kill(signal);
    assert.equal(await run.exited, status);
    const { stdout, stderr } = run.output();
    const summary = JSON.parse(stdout) as { lost: number | null; added: number; collection: string };
    assert.equal(summary.collection, collection);
    assert.equal(typeof summary.lost, 'number', `lost is counted against the store: ${stdout}`);
    // --json: the error is one JSON line beside the JSON log lines, with its code.
    const errors = cliErrors(stderr);
    assert.deepEqual(errors.length, 1, stderr);
    assert.deepEqual(errors[0], { code: 'INTERRUPTED', message: `stopped by ${signal} before the run finished: the store keeps what was written; run the same ingest again to finish` });
    assert.ok(!/^error:/m.test(stderr), 'no plain-text error line under --json');
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.equal(summary.lost, DOCUMENTS, 'no worker ran: every document is lost, counted against the store');
    assert.equal(await storedDocuments(collection), 0);

    if (!rerun) return;
    const again = await runCli(args, { env: iso.env, timeoutMs: 240_000 });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).lost, 0);
    assert.equal(await storedDocuments(collection), DOCUMENTS);
  });
}
