/**
 * Where Switchboard sends its traces, read from OpenTelemetry's standard variables (the names every
 * OpenTelemetry SDK reads, so a collector's documentation applies as written). Tracing is off unless
 * an OTLP endpoint is set: `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` is added to it) or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (taken as it is). Spans go over OTLP/HTTP with JSON bodies,
 * which every OTLP/HTTP receiver (the Collector, Jaeger, Tempo) takes.
 *
 *   readTracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
 *   // { url: 'http://collector:4318/v1/traces', sampler: { root: 'always_on', parentBased: true, ratio: 1 }, … }
 */
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { intFromEnv, type Env } from '../../lib/env.js';

export interface TracingSettings {
  /** The OTLP/HTTP traces URL (`…/v1/traces`). */
  url: string;
  /** Sent with every export (a collector's API key): `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_EXPORTER_OTLP_TRACES_HEADERS`. Never logged. */
  headers: Record<string, string>;
  /** The longest one export may take. `OTEL_EXPORTER_OTLP_TIMEOUT`, `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT` */
  timeoutMs: number;
  /** `OTEL_EXPORTER_OTLP_COMPRESSION`: gzip or none. */
  compression: 'gzip' | 'none';
  /** `OTEL_SERVICE_NAME`, else `service.name` in `OTEL_RESOURCE_ATTRIBUTES`, else switchboard. */
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`: `key=value,…` (percent-encoded), on every span. */
  resourceAttributes: Record<string, string>;
  /**
   * Which traces are recorded (`OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`): by default every
   * trace a client did not mark as unsampled (parentbased_always_on).
   */
  sampler: { root: 'always_on' | 'always_off' | 'traceidratio'; parentBased: boolean; ratio: number };
  /**
   * How finished spans wait to be sent (`OTEL_BSP_SCHEDULE_DELAY`, `OTEL_BSP_MAX_QUEUE_SIZE`,
   * `OTEL_BSP_MAX_EXPORT_BATCH_SIZE`, `OTEL_BSP_EXPORT_TIMEOUT`); spans beyond a full queue are dropped, never waited for.
   */
  batch: { delayMs: number; maxQueueSize: number; maxBatchSize: number; exportTimeoutMs: number };
}

const SAMPLERS = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/** The tracing settings, or undefined when tracing is off; a bad value throws an Error naming the variable. */
export function readTracingSettings(env: Env): TracingSettings | undefined {
  const value = (name: string) => env[name]?.trim() || undefined;
  if (value('OTEL_SDK_DISABLED') === 'true') return undefined;
  const exporter = value('OTEL_TRACES_EXPORTER');
  if (exporter === 'none') return undefined;
  if (exporter !== undefined && exporter !== 'otlp') {
    throw new Error(`OTEL_TRACES_EXPORTER must be otlp or none (Switchboard exports traces over OTLP), but got: ${JSON.stringify(exporter)}.`);
  }
  const tracesEndpoint = value('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = value('OTEL_EXPORTER_OTLP_ENDPOINT');
  if (tracesEndpoint === undefined && endpoint === undefined) return undefined;
  const url = tracesEndpoint !== undefined
    ? httpUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint)
    : `${httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', endpoint!).replace(/\/+$/, '')}/v1/traces`;
  for (const name of ['OTEL_EXPORTER_OTLP_PROTOCOL', 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL']) {
    const protocol = value(name);
    if (protocol !== undefined && protocol !== 'http/json' && protocol !== 'http/protobuf') {
      throw new Error(`${name} must be http/json or http/protobuf (Switchboard sends OTLP over HTTP, with JSON bodies), but got: ${JSON.stringify(protocol)}.`);
    }
  }
  const compression = value('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION') ?? value('OTEL_EXPORTER_OTLP_COMPRESSION') ?? 'none';
  if (compression !== 'gzip' && compression !== 'none') {
    throw new Error(`OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none, but got: ${JSON.stringify(compression)}.`);
  }
  const resourceAttributes = parseKeyPairsIntoRecord(value('OTEL_RESOURCE_ATTRIBUTES') ?? '');
  return {
    url,
    // The header values are secrets: an error names the variable, never repeats them.
    headers: { ...pairs(env, 'OTEL_EXPORTER_OTLP_HEADERS'), ...pairs(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS') },
    timeoutMs: intFromEnv(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', intFromEnv(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000, 1, 600_000), 1, 600_000),
    compression,
    serviceName: value('OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? 'switchboard',
    resourceAttributes,
    sampler: readSampler(value('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on', value('OTEL_TRACES_SAMPLER_ARG')),
    batch: {
      delayMs: intFromEnv(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 1, 600_000),
      maxQueueSize: intFromEnv(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000),
      maxBatchSize: intFromEnv(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000),
      exportTimeoutMs: intFromEnv(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 600_000),
    },
  };
}

function readSampler(name: string, arg: string | undefined): TracingSettings['sampler'] {
  if (!SAMPLERS.includes(name)) throw new Error(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, but got: ${JSON.stringify(name)}.`);
  const ratio = arg === undefined ? 1 : Number(arg);
  if (name.endsWith('traceidratio') && (!/^\s*(0|1|0?\.\d+|1\.0*)\s*$/.test(arg ?? '1') || ratio < 0 || ratio > 1)) {
    throw new Error(`OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1 (0.25 records a quarter of the traces), but got: ${JSON.stringify(arg)}.`);
  }
  const parentBased = name.startsWith('parentbased_');
  return { root: name.replace('parentbased_', '') as TracingSettings['sampler']['root'], parentBased, ratio };
}

function httpUrl(name: string, value: string): string {
  const protocol = URL.canParse(value) ? new URL(value).protocol : '';
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`${name} must be an http(s) URL (http://collector:4318), but got: ${JSON.stringify(value)}.`);
  return value;
}

/** Private: `key=value,…` headers; a pair that is not one is named by its key alone, its value being a secret. */
function pairs(env: Env, name: string): Record<string, string> {
  const raw = env[name]?.trim();
  if (!raw) return {};
  for (const pair of raw.split(',')) {
    const key = pair.split('=')[0]!.trim();
    if (!pair.includes('=') || !/^[!#$%&'*+.^_`|~\w-]+$/.test(key)) {
      const which = pair.includes('=') && key ? `the pair of ${JSON.stringify(key.slice(0, 40))}` : 'one pair';
      throw new Error(`${name} must be a comma-separated list of header=value pairs; ${which} is not one (values are never repeated here).`);
    }
  }
  return parseKeyPairsIntoRecord(raw);
}
