// How much of the machine other processes used while the benchmark was timing: /proc/stat's busy
// time minus this process's and the server child's own. The benchmark shares its machine, and a
// number measured next to a busy neighbour says so in the report.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

export const CLOCK_TICKS = (() => {
  const n = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  return (fields.reduce((a, b) => a + b, 0) - fields[3] - fields[4]) / CLOCK_TICKS;
}

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

export interface LoadWindow {
  /** Share (0..1) of all CPUs that processes other than ours used since the window opened. */
  foreignShare(): number;
}

/** Opens a measurement window over this process and `childPids`. */
export function openLoadWindow(childPids: number[]): LoadWindow {
  const ours = () => {
    const self = process.cpuUsage();
    return (self.user + self.system) / 1e6 + childPids.reduce((s, pid) => s + processCpuSeconds(pid), 0);
  };
  const busy0 = machineBusySeconds();
  const ours0 = ours();
  const t0 = performance.now();
  return {
    foreignShare: () => {
      const seconds = (performance.now() - t0) / 1000;
      const foreign = machineBusySeconds() - busy0 - (ours() - ours0);
      return Math.max(0, foreign) / (seconds * cpus().length);
    },
  };
}

/** Waits (up to `maxMs`) for a second in which other processes use at most `share` of the CPUs. */
export async function waitForQuiet(maxMs: number, share = 0.05): Promise<number> {
  const deadline = performance.now() + maxMs;
  let last = 0;
  do {
    const window = openLoadWindow([]);
    await new Promise((r) => setTimeout(r, 1000));
    last = window.foreignShare();
  } while (last > share && performance.now() < deadline);
  return last;
}
