// Reads Prometheus text exposition with parse-prometheus-text-format (a port of the Python client's
// parser, output as prom2json gives it), typed for the tests: one family by name, a sample's value.
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  labels?: Record<string, string>;
  value?: string;
  /** Histograms: upper bound -> cumulative count. */
  buckets?: Record<string, string>;
  count?: string;
  sum?: string;
}

export interface Family {
  name: string;
  help: string;
  type: 'COUNTER' | 'GAUGE' | 'HISTOGRAM' | 'SUMMARY' | 'UNTYPED';
  metrics: Sample[];
}

export function parsePrometheus(text: string): Map<string, Family> {
  const families = parsePrometheusTextFormat(text) as Family[];
  return new Map(families.map((family) => [family.name, family]));
}

/** The value of the family's sample whose labels include `labels`; throws when there is none. */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  if (!family) throw new Error(`no metric family ${name}`);
  const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (!sample) throw new Error(`${name} has no sample with ${JSON.stringify(labels)}`);
  return Number(sample.value ?? sample.count);
}

/**
 * A histogram's observation count (and sum, when the parser kept it). The parser keeps count and sum
 * only for histograms without labels; for a labelled one it keeps the buckets alone, and only one
 * label set's, so a test observes one label set of such a histogram and reads the count from the
 * +Inf bucket (cumulative: every observation).
 */
export function histogram(families: Map<string, Family>, name: string): { count: number; sum?: number } {
  const family = families.get(name);
  if (!family || family.type !== 'HISTOGRAM') throw new Error(`no histogram ${name}`);
  const sample = family.metrics[0];
  return { count: Number(sample.count ?? sample.buckets?.['+Inf']), sum: sample.sum === undefined ? undefined : Number(sample.sum) };
}
