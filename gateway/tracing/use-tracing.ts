/**
 * Traces yoga's request cycle (spans.ts names the spans): a server span per request, whose parent is
 * the client's W3C `traceparent`; `graphql.parse` and `graphql.validate`; and one span for the
 * execution (or the subscription, open while it streams), which the request's upstream calls and
 * stitched batches go under (it is put in the request's upstream scope). With tracing off it adds no hook.
 *
 *   const tracing = useTracing(createTracing(config.tracing, { version }), { traced: (path) => path === '/graphql' });
 *   plugins: [tracing.plugin, …, useWebhooks({ …, traceparent: tracing.traceparent })]
 */
import { SpanKind, type Span } from '@opentelemetry/api';
import { isAsyncIterable } from '@envelop/core';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ScopedContext } from '../upstream/index.js';
import { endSpan, incomingContext, traceparentOf, under, type TraceScope } from './spans.js';
import type { Tracing } from './tracing.js';

export interface RequestTracing {
  plugin: Plugin;
  /** The `traceparent` of a request's span (a webhook delivery's, which its event carries), when it is traced. */
  traceparent(request: Request): string | undefined;
}

interface Traced {
  span: Span;
  scope: TraceScope;
}

type OperationContext = ScopedContext & { request?: Request };

export function useTracing(tracing: Tracing, options: { traced: (path: string) => boolean }): RequestTracing {
  const { tracer } = tracing;
  if (!tracer) return { plugin: {}, traceparent: () => undefined };
  const requests = new WeakMap<Request, Traced>();
  const of = (context: unknown) => {
    const request = (context as OperationContext | undefined)?.request;
    return request ? requests.get(request) : undefined;
  };
  /** The span of an execution or subscription, put where the operation's upstream calls find it. */
  const operationSpan = (context: OperationContext, document: DocumentNode, operationName: string | null | undefined): Span | undefined => {
    const traced = of(context);
    if (!traced) return undefined;
    const operation = getOperationAST(document, operationName);
    const type = operation?.operation ?? 'query';
    const name = operation?.name?.value;
    const span = tracer.startSpan(name ? `${type} ${name}` : type, {
      attributes: { 'graphql.operation.type': type, ...(name ? { 'graphql.operation.name': name } : {}) },
    }, traced.scope.context);
    if (context.upstreamScope) context.upstreamScope.trace = under(traced.scope, span);
    return span;
  };
  const plugin: Plugin = {
    onRequest({ request, url }) {
      if (!options.traced(url.pathname)) return;
      const requestId = request.headers.get('x-request-id');
      const parent = incomingContext(request.headers);
      const span = tracer.startSpan(`${request.method} ${url.pathname}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': request.method, 'url.path': url.pathname, 'http.route': url.pathname, ...(requestId ? { 'switchboard.request_id': requestId } : {}) },
      }, parent);
      requests.set(request, { span, scope: under({ tracer, context: parent }, span) });
    },
    onParse({ context }) {
      const traced = of(context);
      if (!traced) return;
      const span = tracer.startSpan('graphql.parse', {}, traced.scope.context);
      return ({ result }) => endSpan(span, result instanceof Error ? { code: 'GRAPHQL_PARSE_FAILED', message: result.message } : undefined);
    },
    onValidate({ context }) {
      const traced = of(context);
      if (!traced) return;
      const span = tracer.startSpan('graphql.validate', {}, traced.scope.context);
      return ({ valid }) => endSpan(span, valid ? undefined : { code: 'GRAPHQL_VALIDATION_FAILED' });
    },
    onExecute({ args }) {
      const span = operationSpan(args.contextValue as OperationContext, args.document, args.operationName);
      return span && { onExecuteDone: endOnResult(span) };
    },
    onSubscribe({ args }) {
      const span = operationSpan(args.contextValue as OperationContext, args.document, args.operationName);
      return span && { onSubscribeResult: endOnResult(span) };
    },
    onResponse({ request, response }) {
      const traced = requests.get(request);
      if (!traced) return;
      traced.span.setAttribute('http.response.status_code', response.status);
      endSpan(traced.span, response.status >= 500 ? { code: String(response.status) } : undefined);
    },
  };
  return { plugin, traceparent: (request) => traceparentOf(requests.get(request)?.scope) };
}

/** Private: ends an operation's span with its result, or when its stream ends (a subscription, incremental delivery). */
function endOnResult(span: Span) {
  return ({ result }: { result: ExecutionResult | AsyncIterable<ExecutionResult> }) => {
    if (isAsyncIterable(result)) return { onEnd: () => span.end() };
    endWithErrors(span, result);
    return undefined;
  };
}

/** Private: an operation's span, failed with its errors' codes when the result has errors. */
function endWithErrors(span: Span, result: ExecutionResult): void {
  const codes = [...new Set((result.errors ?? []).map((error) => String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
  if (codes.length > 0) span.setAttribute('graphql.error.codes', codes);
  endSpan(span, codes.length > 0 ? { code: codes[0], message: `${result.errors!.length} error(s): ${codes.join(', ')}` } : undefined);
}
