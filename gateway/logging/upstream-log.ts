/**
 * The upstream side in the log: one `warn` line for each attempt that failed (a transport failure,
 * a 5xx, a 429, a refused credential), with the source, the contract's operation and what it came
 * to; one for each call the circuit breaker or the request budget held back; one for each token a
 * provider would not issue. Successful calls are the metrics' to count, not the log's.
 *
 *   createUpstreams(config, { observer: observeAll(metrics.upstream, upstreamLog(log)) });
 */
import type { Logger } from 'pino';
import { UNOBSERVED, type UpstreamObserver } from '../upstream/observer.js';

export function upstreamLog(log: Logger): UpstreamObserver {
  return {
    ...UNOBSERVED,
    attempted(source, operation, { status, code, seconds, requestId }) {
      if (code === undefined && status !== undefined && status < 500 && status !== 429 && status !== 401 && status !== 403) return;
      log.warn({ requestId, source, operation, ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }), ms: Math.round(seconds * 1000) }, 'upstream attempt failed');
    },
    shortCircuited: (source, requestId) => log.warn({ requestId, source, code: 'CIRCUIT_OPEN' }, 'upstream call failed fast: the circuit breaker is open'),
    budgetRefused: (source, requestId) => log.warn({ requestId, source, code: 'UPSTREAM_RATE_LIMITED' }, 'upstream call refused by the request budget'),
    tokenFetched: (source, outcome) => {
      if (outcome === 'failed') log.warn({ source }, 'the provider did not issue an access token');
    },
  };
}
