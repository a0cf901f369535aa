// `embedline status | head -1`: a reader that goes away must not turn into an EPIPE stack trace.
// The test closes the read end of stdout before the command writes anything, so every write
// meets a closed pipe (what `head -1` does to the lines after the first).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { isolatedEnv } from '../support/isolated-env.ts';
import { BIN, PROJECT_ROOT } from '../support/run-cli.ts';

const iso = isolatedEnv('closed-output');
after(() => iso.cleanup());

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env: { ...process.env, ...iso.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

for (const args of [['status'], ['collections'], ['jobs', 'failed'], ['--help']]) {
  test(`embedline ${args.join(' ')} with its stdout closed ends quietly`, async () => {
    const { code, stderr } = await runWithClosedStdout(args);
    assert.equal(stderr, '', 'nothing on stderr');
    assert.equal(code, 0);
  });
}
