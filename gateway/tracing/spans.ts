/**
 * The spans Switchboard makes, by name and attributes, in one place; the code that does the work
 * calls these and knows nothing else of OpenTelemetry. A trace of a stitched query:
 *
 *   POST /graphql                          (server; its parent is the client's `traceparent`)
 *   ├── graphql.parse, graphql.validate
 *   └── query AccountPage                  (graphql.execute)
 *       ├── crm listAccounts               (client: one upstream attempt, `traceparent` sent)
 *       └── stitch erp.invoices            (one batch of a stitched level)
 *           └── erp GetInvoices            (client; a retry is a second span, http.request.resend_count 1)
 *
 * A webhook delivery is a server span like any request (its provider's `traceparent`, when it sends
 * one, is its parent); each subscriber it reaches gets an `event <topic>` span under its
 * subscription, linked to that delivery's span, on whichever replica the subscriber is.
 *
 *   const scope = { tracer, context: incomingContext(request.headers) };
 *   const attempt = traceAttempt(scope, { source: 'crm', operation: 'listAccounts', method: 'GET', url, retry: 0 });
 *   attempt.headers;                  // { traceparent: '00-…-…-01' }: sent with the attempt
 *   attempt.end({ status: 200 });
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { parseTraceParent, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { AttemptTrace } from '../upstream/observer.js';

/** Where new spans of a request go: its tracer, and the span they are children of. */
export interface TraceScope {
  readonly tracer: Tracer;
  readonly context: Context;
}

const propagator = new W3CTraceContextPropagator();
const fromHeaders = { get: (headers: Headers, key: string) => headers.get(key) ?? undefined, keys: (headers: Headers) => [...headers.keys()] };
const intoRecord = { set: (record: Record<string, string>, key: string, value: string) => { record[key] = value; } };

/** The context a client's `traceparent` (and `tracestate`) gives; the root context without one, or with a malformed one. */
export function incomingContext(headers: Headers): Context {
  return propagator.extract(ROOT_CONTEXT, headers, fromHeaders);
}

/** The W3C trace headers that make a receiver's spans children of `context`'s span. */
export function traceHeaders(context: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  propagator.inject(context, headers, intoRecord);
  return headers;
}

/** A scope whose new spans are children of `span`. */
export function under(scope: TraceScope, span: Span): TraceScope {
  return { tracer: scope.tracer, context: trace.setSpan(scope.context, span) };
}

/** The `traceparent` of a scope's span, as an event carries it to the subscribers it reaches. */
export function traceparentOf(scope: TraceScope | undefined): string | undefined {
  return scope ? traceHeaders(scope.context).traceparent : undefined;
}

/** Ends a span with its outcome: an error (a typed code, or an exception) marks it as failed. */
export function endSpan(span: Span, failure?: { code?: string; message?: string }): void {
  if (failure) {
    if (failure.code) span.setAttribute('error.type', failure.code);
    span.setStatus({ code: SpanStatusCode.ERROR, ...(failure.message ? { message: failure.message } : {}) });
  }
  span.end();
}

/**
 * One attempt of an upstream call: begun before the circuit breaker and the request budget (their
 * waits and refusals are in it), ended with the answer's status or the typed error. Never the URL's
 * query string or any header value: either may hold a credential.
 */
export function traceAttempt(scope: TraceScope, call: { source: string; operation: string; method: string; url: string; retry: number }): AttemptTrace {
  const target = new URL(call.url);
  const attributes: Attributes = {
    'switchboard.source': call.source,
    'switchboard.operation': call.operation,
    'http.request.method': call.method,
    'server.address': target.hostname,
    'server.port': Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
    'url.path': target.pathname,
  };
  if (call.retry > 0) attributes['http.request.resend_count'] = call.retry;
  const span = scope.tracer.startSpan(`${call.source} ${call.operation}`, { kind: SpanKind.CLIENT, attributes }, scope.context);
  return {
    headers: traceHeaders(trace.setSpan(scope.context, span)),
    end({ status, code }) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      const failed = code !== undefined || (status !== undefined && status >= 400);
      endSpan(span, failed ? { code: code ?? String(status) } : undefined);
    },
  };
}

/** One batch of a stitched level: the call that answers every item of it, and the attempts under it. */
export function traceBatch(scope: TraceScope, batch: { source: string; field: string; size: number }): { scope: TraceScope; end(error?: Error): void } {
  const span = scope.tracer.startSpan(`stitch ${batch.source}.${batch.field}`, {
    attributes: { 'switchboard.source': batch.source, 'switchboard.field': batch.field, 'switchboard.batch.size': batch.size },
  }, scope.context);
  return {
    scope: under(scope, span),
    end: (error) => endSpan(span, error ? { code: codeOf(error), message: error.message } : undefined),
  };
}

/**
 * An event reaching one subscription: a span under the subscription's, linked to the webhook
 * delivery that brought the event (its `traceparent`, carried in the event log across replicas).
 */
export function traceEvent(scope: TraceScope, event: { id: string; topic: string; type: string; traceparent?: string }): void {
  const cause = event.traceparent ? parseTraceParent(event.traceparent) : null;
  scope.tracer.startSpan(`event ${event.topic}`, {
    kind: SpanKind.CONSUMER,
    attributes: { 'switchboard.event.id': event.id, 'switchboard.event.type': event.type, 'switchboard.event.topic': event.topic },
    ...(cause ? { links: [{ context: cause }] } : {}),
  }, scope.context).end();
}

/** Private: the typed code an error carries (`extensions.code`), if any. */
function codeOf(error: Error): string | undefined {
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' ? code : undefined;
}
