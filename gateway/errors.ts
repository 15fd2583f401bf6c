/**
 * Switchboard's one error vocabulary. Every error the gateway makes carries `extensions.code`, the
 * `source` it came from (for upstream failures) and, where it maps to an HTTP status of the gateway's
 * own response, `http.status`. An upstream's HTTP status is never the gateway's.
 */
import { GraphQLError } from 'graphql';
import { log } from './logging/log.js';

export type ErrorCode =
  /** The upstream could not be reached, or answered 5xx. */
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  /** The upstream refused Switchboard's own credentials: an operator has to fix the configuration. */
  | 'UPSTREAM_AUTH_FAILED'
  | 'UPSTREAM_RATE_LIMITED'
  /** The upstream refused the request itself (4xx other than auth and rate limits). */
  | 'UPSTREAM_REJECTED'
  | 'UPSTREAM_BAD_RESPONSE'
  /** A value in the upstream's answer does not fit the contract (a format, an enum, a required field): that value alone is null. */
  | 'UPSTREAM_CONTRACT_MISMATCH'
  | 'SOAP_FAULT'
  /** The source kept failing: its circuit breaker fails calls fast until a probe succeeds. */
  | 'CIRCUIT_OPEN';

declare module 'graphql' {
  interface GraphQLErrorExtensions {
    code?: string;
    source?: string;
  }
}

const ANSWERED_BY = Symbol('switchboard.answeredBy');

/**
 * Marks an error that came out of a source's own execution (gateway/sources/source-clients.ts) with
 * the source, so that an error made of it later can name it (an answer that breaks the contract, met
 * through the stitched graph, whose root field names no source).
 */
export function answeredBy<T extends Error>(error: T, source: string): T {
  if (!(ANSWERED_BY in error)) Object.defineProperty(error, ANSWERED_BY, { value: source });
  return error;
}

/** The source an error came out of, where `answeredBy` marked it. */
export function sourceOfError(error: Error): string | undefined {
  return (error as { [ANSWERED_BY]?: string })[ANSWERED_BY];
}

/**
 * An error on the fields that an upstream should have answered. `message` must be safe to show a
 * client: no URL, credential or upstream stack goes in it.
 *
 *   throw upstreamError('carrier', 'UPSTREAM_UNAVAILABLE', 'carrier answered 503');
 */
export function upstreamError(
  source: string,
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, source, ...extensions } });
}

/** Maps an upstream's HTTP status to the code of the error its fields get. */
export function codeForUpstreamStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return 'UPSTREAM_AUTH_FAILED';
  if (status === 429) return 'UPSTREAM_RATE_LIMITED';
  if (status === 408 || status === 504) return 'UPSTREAM_TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  return 'UPSTREAM_REJECTED';
}

/**
 * The error for an upstream's non-2xx answer: its code, and the status and `Retry-After` it sent.
 *
 *   throw errorForStatus('carrier', 503, response.headers);
 */
export function errorForStatus(source: string, status: number, headers: Headers): GraphQLError {
  const code = codeForUpstreamStatus(status);
  const retryAfter = headers.get('retry-after');
  const message = code === 'UPSTREAM_AUTH_FAILED'
    ? `${source} refused Switchboard's credentials (HTTP ${status}).`
    : `${source} answered HTTP ${status}.`;
  return upstreamError(source, code, message, { upstreamStatus: status, ...(retryAfter ? { retryAfter } : {}) });
}

/** The error for an upstream answer that cannot be read (cut short, not the format the contract says). */
export function badResponse(source: string): GraphQLError {
  return upstreamError(source, 'UPSTREAM_BAD_RESPONSE', `${source} answered with a response Switchboard could not read.`);
}

/**
 * The error the fields of a failed upstream call get. It loses the path of the source's own call
 * (`listProducts`), so that graphql-js locates it at each field that asked
 * (`orders.0.lines.1.product`). An error that is not one of the upstream transport's typed errors
 * (a handler failing to read a body, say) carries the upstream's URL and body in its extensions: it
 * becomes UPSTREAM_BAD_RESPONSE instead, and the original goes to the server log only.
 */
export function asUpstreamError(source: string, error: Error): GraphQLError {
  const first = error instanceof AggregateError && error.errors.length ? (error.errors[0] as Error) : error;
  if (first instanceof GraphQLError && first.extensions?.source === source && first.extensions.code) {
    return new GraphQLError(first.message, { extensions: first.extensions, originalError: first.originalError });
  }
  log.error({ source, err: first }, 'an upstream answer could not be read');
  return badResponse(source);
}
