// Where a search request's CPU goes, per stage: the server child's threads are read from
// /proc/<pid>/task over one load window (main thread, ONNX session threads, LanceDB's tokio
// threads, the rest), and the main thread's share is split by a V8 CPU profile taken over the same
// window (server-child.ts --profile: SIGUSR2 starts and stops it). Each profile sample goes to the
// stage of the innermost frame a rule below recognises, so `postMessage` called from the session
// pool counts as embedding, Arrow decoding called from the Lance client as store search.
import { readdirSync, readFileSync } from 'node:fs';
import { CLOCK_TICKS } from './machine-load.ts';

/** CPU seconds of every thread of a process, by thread id, with the thread's name. */
export function threadCpu(pid: number): Map<string, { name: string; seconds: number }> {
  const threads = new Map<string, { name: string; seconds: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      threads.set(tid, { name, seconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

export interface ThreadShares {
  main: number;
  onnx: number;
  lance: number;
  other: number;
}

/**
 * CPU seconds per thread group between two readings. The ONNX sessions are the `sessions` busiest
 * unnamed threads besides the main one (node names neither worker threads nor V8's helpers, and a
 * session thread runs its whole batch on itself: one intra-op thread per run in a server).
 */
export function threadShares(pid: number, before: ReturnType<typeof threadCpu>, after: ReturnType<typeof threadCpu>, sessions: number): ThreadShares {
  const used = [...after].map(([tid, t]) => ({ tid, name: t.name, seconds: t.seconds - (before.get(tid)?.seconds ?? 0) }));
  const main = used.find((t) => t.tid === String(pid))?.seconds ?? 0;
  const lance = used.filter((t) => t.name.startsWith('tokio') || t.name.startsWith('lance')).reduce((s, t) => s + t.seconds, 0);
  const unnamed = used.filter((t) => t.tid !== String(pid) && t.name === 'node').sort((a, b) => b.seconds - a.seconds);
  const onnx = unnamed.slice(0, sessions).reduce((s, t) => s + t.seconds, 0);
  const all = used.reduce((s, t) => s + t.seconds, 0);
  return { main, onnx, lance, other: all - main - onnx - lance };
}

export const MAIN_STAGES = ['HTTP parse and reply', 'validation', 'admission', 'cache', 'embed (tokenize, batching, hand-off)', 'store search (client, Arrow decoding)', 'hit shaping', 'JSON', 'metrics', 'GC and runtime'] as const;
export type MainStage = (typeof MAIN_STAGES)[number];

/** Frame rules, by script URL or function name; the first rule that matches a frame names its stage. */
const RULES: Array<[RegExp, MainStage]> = [
  [/fast-json-stringify|^JSON\.stringify$|serialize/, 'JSON'],
  [/ajv|validation-message|contracts\/filter|checkQueries|checkK|collection-name/, 'validation'],
  [/admission-queue/, 'admission'],
  [/query-cache|lru-cache|collection-catalog/, 'cache'],
  [/point-rows|scores\.ts|hitFromRow|chunkFromRow/, 'hit shaping'],
  [/tokenizers|embed\/|query-runs|batching\/|^postMessage$/, 'embed (tokenize, batching, hand-off)'],
  [/lancedb|apache-arrow|store\/|store-batches/, 'store search (client, Arrow decoding)'],
  [/prom-client|search-metrics|metrics-route/, 'metrics'],
  [/fastify|find-my-way|avvio|secure-json-parse|json-body|search-route|node:_http|node:net|node:stream|node:internal\/(http|stream|net)|^(writev|writeUtf8String|read|parserOnIncoming|onStreamRead)$/, 'HTTP parse and reply'],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Share (0..1) of the main thread's busy samples per stage; idle samples are left out. */
export function mainStageShares(profile: CpuProfile): Map<MainStage, number> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const stageOf = new Map<number, MainStage | 'idle'>();
  const classify = (id: number): MainStage | 'idle' => {
    const known = stageOf.get(id);
    if (known) return known;
    const leaf = byId.get(id)!.callFrame.functionName;
    let stage: MainStage | 'idle' = leaf === '(idle)' ? 'idle' : 'GC and runtime';
    if (stage !== 'idle') {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const { functionName, url } = byId.get(at)!.callFrame;
        const rule = RULES.find(([pattern]) => pattern.test(url) || pattern.test(functionName));
        if (rule) {
          stage = rule[1];
          break;
        }
      }
    }
    stageOf.set(id, stage);
    return stage;
  };
  const time = new Map<MainStage, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const stage = classify(id);
    if (stage === 'idle') return;
    const dt = profile.timeDeltas[i] ?? 0;
    time.set(stage, (time.get(stage) ?? 0) + dt);
    busy += dt;
  });
  return new Map(MAIN_STAGES.map((stage) => [stage, busy > 0 ? (time.get(stage) ?? 0) / busy : 0]));
}
