// Optional OpenTelemetry traces: one span per ingest run, per job a worker processes, and per search,
// exported as OTLP JSON over HTTP to the collector OTEL_EXPORTER_OTLP_ENDPOINT names. A run's trace
// context rides inside each job it queues (W3C `traceparent`, EmbedJobData.traceparent), so a job's
// span is a child of the run that queued it, whichever process or machine works it. Off unless
// configured: the OpenTelemetry packages are then never imported, and every function here is a
// plain pass-through.
import type * as OtelApi from '@opentelemetry/api';
import type { TracingConfig } from '../config.ts';

/** Span and attribute names, as docs/operations.md lists them. */
export type SpanName = 'embedline.ingest' | 'embedline.job' | 'embedline.search';
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

interface Tracing {
  api: typeof OtelApi;
  tracer: OtelApi.Tracer;
  shutdown(): Promise<void>;
}

let tracing: Tracing | undefined;

/** How often finished spans are sent (the SDK's default is 5 s; a short run must not wait for it). */
const EXPORT_DELAY_MS = 1000;

/** Starts exporting spans when `config` is set (loads the SDK then); idempotent. */
export async function startTracing(config: TracingConfig | undefined): Promise<void> {
  if (!config || tracing) return;
  const [api, { BasicTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { W3CTraceContextPropagator }, { AsyncLocalStorageContextManager }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/core'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.tracesUrl }), { scheduledDelayMillis: EXPORT_DELAY_MS })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  tracing = {
    api,
    tracer: provider.getTracer('embedline'),
    shutdown: async () => {
      // Sends what is still buffered; a collector that is away costs the spans, never the command.
      await provider.shutdown().catch(() => undefined);
      api.trace.disable();
      api.propagation.disable();
      api.context.disable();
    },
  };
}

/** Sends the spans still buffered and stops tracing (before a command exits). */
export async function stopTracing(): Promise<void> {
  const current = tracing;
  tracing = undefined;
  await current?.shutdown();
}

function definedAttributes(attributes: SpanAttributes): OtelApi.Attributes {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)) as OtelApi.Attributes;
}

function failed(api: typeof OtelApi, span: OtelApi.Span, err: unknown): void {
  span.recordException(err instanceof Error ? err : String(err));
  span.setStatus({ code: api.SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
}

/** Runs `work` in a span, a child of the active one (if any); spans started inside it are its children. */
export async function inSpan<T>(name: SpanName, attributes: SpanAttributes, work: () => Promise<T>): Promise<T> {
  const t = tracing;
  if (!t) return work();
  return t.tracer.startActiveSpan(name, { attributes: definedAttributes(attributes) }, async (span) => {
    try {
      return await work();
    } catch (err) {
      failed(t.api, span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's W3C traceparent, to carry in a job; undefined when tracing is off or no span is active. */
export function activeTraceparent(): string | undefined {
  const t = tracing;
  if (!t) return undefined;
  const carrier: Record<string, string> = {};
  t.api.propagation.inject(t.api.context.active(), carrier);
  return carrier.traceparent;
}

export interface FinishedSpan {
  attributes: SpanAttributes;
  /** The traceparent of the span this one belongs under (a job's, from its producer); none: a new trace. */
  parent?: string;
  startMs: number;
  endMs: number;
  error?: unknown;
}

/** Records a span whose start and end are already known (a job, from BullMQ's timestamps). */
export function recordSpan(name: SpanName, finished: FinishedSpan): void {
  const t = tracing;
  if (!t) return;
  const parent = finished.parent ? t.api.propagation.extract(t.api.ROOT_CONTEXT, { traceparent: finished.parent }) : t.api.ROOT_CONTEXT;
  const span = t.tracer.startSpan(name, { attributes: definedAttributes(finished.attributes), startTime: finished.startMs, kind: t.api.SpanKind.CONSUMER }, parent);
  if (finished.error !== undefined) failed(t.api, span, finished.error);
  span.end(finished.endMs);
}
