/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (gateway/config/tracing-settings.ts):
 * one tracer provider per gateway, whose finished spans are batched and sent over OTLP/HTTP, and
 * flushed by `shutdown()` (the last step of a graceful shutdown).
 *
 * Nothing is registered globally: no global provider and no context manager. A request's trace
 * context travels in its GraphQL context (its upstream scope, gateway/upstream/scope.ts), as its
 * request id travels in its headers, because the context manager Node needs (AsyncLocalStorage)
 * hooks every promise: on Node 22 that cost W3-vars a quarter of its throughput (bench, 2026-12-07),
 * with tracing on or off. With tracing off, no span is made and nothing is passed at all.
 *
 *   const tracing = createTracing(config.tracing, { version: '0.1.0' });
 *   tracing.tracer?.startSpan('…');    // undefined when tracing is off
 *   await tracing.shutdown();          // what is still queued is sent
 */
import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, AlwaysOnSampler, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, TracerProvider, type Sampler } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TracingSettings } from '../config/tracing-settings.js';
import { log } from '../logging/log.js';

export interface Tracing {
  /** Undefined when tracing is off: callers then do no tracing work at all. */
  readonly tracer?: Tracer;
  /** Sends the spans still queued, then stops (at most the export timeout). */
  shutdown(): Promise<void>;
}

export const NO_TRACING: Tracing = { shutdown: async () => {} };

export function createTracing(settings: TracingSettings | undefined, { version }: { version: string }): Tracing {
  if (!settings) return NO_TRACING;
  // The SDK reports a failed export through its diagnostics: into the gateway's log, once per failure.
  diag.setLogger({
    error: (message: string) => log.warn({ component: 'tracing' }, message),
    warn: (message: string) => log.warn({ component: 'tracing' }, message),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const exporter = new OTLPTraceExporter({
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression as never,
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ ...settings.resourceAttributes, [ATTR_SERVICE_NAME]: settings.serviceName, [ATTR_SERVICE_VERSION]: version }),
    sampler: samplerOf(settings.sampler),
    spanProcessors: [new BatchSpanProcessor({
      exporter,
      scheduledDelayMillis: settings.batch.delayMs,
      maxQueueSize: settings.batch.maxQueueSize,
      maxExportBatchSize: Math.min(settings.batch.maxBatchSize, settings.batch.maxQueueSize),
      exportTimeoutMillis: settings.batch.exportTimeoutMs,
    })],
  });
  return {
    tracer: provider.getTracer('switchboard', version),
    shutdown: () => provider.shutdown().catch((error: unknown) => {
      log.warn({ component: 'tracing' }, `the last spans could not be sent: ${(error as Error).message}`);
    }),
  };
}

/** Private: the sampler `OTEL_TRACES_SAMPLER` names. */
function samplerOf({ root, parentBased, ratio }: TracingSettings['sampler']): Sampler {
  const own = root === 'always_on' ? new AlwaysOnSampler() : root === 'always_off' ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
  return parentBased ? new ParentBasedSampler({ root: own }) : own;
}
