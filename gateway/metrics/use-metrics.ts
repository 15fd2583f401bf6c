/**
 * Feeds the metrics (metrics.ts) from yoga's request cycle, and serves them: `GET /metrics` in
 * Prometheus' text format, on the gateway's port, or on a port of its own (`METRICS_PORT`, an
 * internal port a scraper reaches and clients do not; http-server.ts). With `METRICS_TOKEN` set a
 * scrape must carry it (`Authorization: Bearer …`); in production the gateway's own port serves
 * metrics only with a token, since operation names and sources are nobody else's business.
 *
 *   plugins: [useMetrics(metrics, { endpoint: '/graphql', path: '/metrics', token })]
 */
import { isAsyncIterable } from '@envelop/core';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics, Transport } from './metrics.js';
import { carriesToken } from '../../lib/http.js';

export interface MetricsOptions {
  /** The GraphQL endpoint, whose requests are timed. */
  endpoint: string;
  /** Where the metrics are served on this port; none when another port serves them. */
  path?: string;
  token?: string;
  /** Serve only with a token (production, on the public port). */
  tokenRequired?: boolean;
}

interface Seen {
  name: string;
  type: string;
}

export function useMetrics(metrics: GatewayMetrics, options: MetricsOptions): Plugin<{ request?: Request; transport?: Transport }> {
  const arrivals = new WeakMap<Request, number>();
  const operations = new WeakMap<Request, Seen>();
  /** Counts a result's errors by code and source: its own, and those of the pieces a later part adds. */
  const countErrors = (result: ExecutionResult & { incremental?: readonly { errors?: readonly GraphQLError[] }[] }) => {
    for (const error of [...(result.errors ?? []), ...(result.incremental ?? []).flatMap((part) => part.errors ?? [])]) {
      const source = error.extensions?.source;
      metrics.error(String(error.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), typeof source === 'string' ? source : undefined);
    }
  };
  // An answer in parts (@defer, @stream): each part's errors, as it goes. One hook for every request.
  const partsCounted = { onExecuteDone: ({ result }: { result: unknown }) => (isAsyncIterable(result) ? { onNext: ({ result: part }: { result: ExecutionResult }) => countErrors(part) } : undefined) };
  const note = (request: Request | undefined, document: DocumentNode, operationName: string | null | undefined) => {
    if (!request) return;
    const operation = getOperationAST(document, operationName);
    operations.set(request, { name: operation?.name?.value ?? 'anonymous', type: operation?.operation ?? 'unknown' });
  };
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === options.endpoint) {
        arrivals.set(request, performance.now());
        return;
      }
      if (options.path === undefined || url.pathname !== options.path) return;
      return scrape(metrics, options, request.headers.get('authorization')).then(({ status, headers, body }) => {
        endResponse(new fetchAPI.Response(body, { status, headers }));
      });
    },
    onExecute({ args }) {
      note((args.contextValue as { request?: Request }).request, args.document, args.operationName);
      return partsCounted;
    },
    onSubscribe({ args }) {
      const context = args.contextValue as { request?: Request; transport?: Transport };
      note(context.request, args.document, args.operationName);
      const transport = context.transport ?? 'sse';
      return {
        onSubscribeResult({ result }) {
          if (!isAsyncIterable(result)) return;
          metrics.subscription(transport, 1);
          return { onNext: ({ result: event }) => countErrors(event), onEnd: () => metrics.subscription(transport, -1) };
        },
      };
    },
    onResultProcess({ result }) {
      for (const one of Array.isArray(result) ? result : [result]) if (!isAsyncIterable(one)) countErrors(one as ExecutionResult);
    },
    onResponse({ request, response, serverContext }) {
      const arrived = arrivals.get(request);
      if (arrived === undefined) return;
      const seen = operations.get(request);
      // Refused before it was read: no slot and a full queue.
      if (!seen && response.status === 503) metrics.refused();
      const transport = (serverContext as { transport?: Transport }).transport
        ?? (response.headers.get('content-type')?.startsWith('text/event-stream') ? 'sse' : 'http');
      metrics.operation({ name: seen?.name ?? 'none', type: seen?.type ?? 'unknown', transport, status: response.status }, (performance.now() - arrived) / 1000);
    },
  };
}

/** A scrape, as either port answers it: the text, or 401 without the token, or 404 where a token is required and none is set. */
export async function scrape(metrics: GatewayMetrics, options: Pick<MetricsOptions, 'token' | 'tokenRequired'>, authorization: string | null): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const plain = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (options.token === undefined && options.tokenRequired) {
    return { status: 404, headers: plain, body: 'Metrics are served on this port only with METRICS_TOKEN set (or on METRICS_PORT).\n' };
  }
  if (options.token !== undefined && !carriesToken(authorization, options.token)) {
    return { status: 401, headers: { ...plain, 'www-authenticate': 'Bearer realm="metrics"' }, body: 'A scrape must carry Authorization: Bearer <METRICS_TOKEN>.\n' };
  }
  return { status: 200, headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' }, body: await metrics.registry.metrics() };
}
