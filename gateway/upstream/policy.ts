/**
 * The upstream policy of one source: everything between "the gateway wants this from the source" and
 * one HTTP exchange, in one place. In the order a call meets them:
 *
 * 1. in-flight sharing: an identical read already on its way to the source answers this call too,
 *    across client requests;
 * 2. the circuit breaker: while the source keeps failing, calls fail fast with CIRCUIT_OPEN;
 * 3. the request budget (token bucket): calls queue for the provider's quota instead of earning 429s;
 * 4. the concurrency limit: at most `maxConcurrent` exchanges with the source at once;
 * 5. the attempt itself (credentials and the exchange, bounded by `timeoutMs`), given by the caller;
 * 6. retries: an idempotent call that timed out, lost its connection or got 429 or 5xx is tried again
 *    after an exponential backoff with jitter, or after the provider's `Retry-After` when that is longer.
 *
 * Transport failures come out as the typed errors the affected fields get; HTTP answers come out as
 * they are, for the caller to read (a SOAP Fault travels in a 500).
 *
 *   const policy = createUpstreamPolicy('carrier', config.sources.carrier.policy);
 *   const reply = await policy.run({ idempotent: true, shareKey: url, attempt: () => exchange(url, init, policy.timeoutMs) });
 */
import { GraphQLError } from 'graphql';
import type { UpstreamPolicySettings } from '../config/config.js';
import { upstreamError } from '../errors.js';
import { createSemaphore } from '../plugins/semaphore.js';
import { backoffMs, retryAfterMs } from './backoff.js';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.js';
import type { UpstreamReply } from './http-exchange.js';
import { createTokenBucket } from './token-bucket.js';
import type { RequestBudget, SharedBudgets } from './shared-budget.js';
import { UNOBSERVED, type AttemptTrace, type UpstreamObserver } from './observer.js';

export interface PolicyCall {
  /** Safe to send again: a read, or a write that carries an idempotency key. */
  idempotent: boolean;
  /** Set for reads: calls with the same key while one is in flight share its answer. */
  shareKey?: string;
  /** One exchange with the source, carrying the headers of its `trace`; it rejects with `TimeoutError` or the transport's error. */
  attempt: (trace?: AttemptTrace) => Promise<UpstreamReply>;
  /** Each attempt's span, when the request is traced; `retry` is 0 for the first attempt. */
  trace?: (retry: number) => AttemptTrace;
  /** The contract's name for the call (an operationId, a SOAP operation, a root field), for the metrics. */
  operation?: string;
  /** The client request it is made for, for the log. */
  requestId?: string;
}

export interface UpstreamPolicy {
  readonly timeoutMs: number;
  readonly breaker: CircuitBreaker;
  run(call: PolicyCall): Promise<UpstreamReply>;
  /**
   * Calls with the same key while one is in flight share its outcome, as reads with a `shareKey` do
   * (the keys of `run` start with the HTTP method; others must not).
   */
  share<T>(key: string, start: () => Promise<T>): Promise<T>;
  /**
   * New calls stop joining the reads in flight now (they start their own): what those answer may
   * predate a change the source just reported. Callers already waiting keep their answer.
   */
  forgetInFlight(): void;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// SOAP reports an application error as a Fault in an HTTP 500: a definite answer, not an outage.
const SOAP_FAULT = /<(\w+:)?Fault[\s>]/;

export function createUpstreamPolicy(source: string, settings: UpstreamPolicySettings, observer: UpstreamObserver = UNOBSERVED, shared?: SharedBudgets): UpstreamPolicy {
  const breaker = createCircuitBreaker({ failures: settings.breakerFailures, cooldownMs: settings.breakerCooldownMs });
  // Without a budget the bucket still keeps the provider's Retry-After for every call to the source.
  // With replicas sharing Redis, a budget is one for all of them (shared-budget.ts).
  const quota = { perSecond: settings.ratePerSecond || Infinity, burst: settings.rateBurst, maxWaitMs: settings.rateMaxWaitMs };
  const budget: RequestBudget = shared && settings.ratePerSecond > 0 ? shared.for(source, quota) : createTokenBucket(quota);
  const slots = createSemaphore(settings.maxConcurrent);
  const inFlight = new Map<string, Promise<unknown>>();

  /** Private: one attempt through the breaker, the budget and the concurrency limit. */
  const attemptOnce = async (call: PolicyCall, retry: number): Promise<Outcome> => {
    const traced = call.trace?.(retry);
    const admission = breaker.admit();
    if (!admission.admitted) {
      observer.shortCircuited(source, call.requestId);
      traced?.end({ code: 'CIRCUIT_OPEN' });
      throw upstreamError(source, 'CIRCUIT_OPEN', `${source} is failing; Switchboard stopped calling it for now.`, {
        retryAfter: Math.ceil(admission.retryInMs / 1000),
      });
    }
    const asked = performance.now();
    if (!(await budget.take())) {
      // Refused before it reached the source: that says nothing about the source's health.
      breaker.abandoned();
      observer.budgetRefused(source, call.requestId);
      traced?.end({ code: 'UPSTREAM_RATE_LIMITED' });
      const paused = budget.pausedFor();
      const message = paused > 0
        ? `${source} asked Switchboard to slow down; retry in ${Math.ceil(paused / 1000)} s.`
        : `${source}'s request budget is used up; retry in a few seconds.`;
      throw upstreamError(source, 'UPSTREAM_RATE_LIMITED', message, { retryAfter: Math.ceil((paused || settings.rateMaxWaitMs) / 1000) });
    }
    const waited = performance.now() - asked;
    if (waited >= 1) observer.budgetWaited(source, waited / 1000);
    if (!slots.tryAcquire()) await slots.acquire();
    let outcome: Outcome;
    const started = performance.now();
    const operation = call.operation ?? 'unknown';
    try {
      outcome = judge(await call.attempt(traced));
    } catch (error) {
      if (error instanceof GraphQLError) {
        // Already typed by the attempt (an OAuth token refused, say): final, and not the source's health.
        breaker.abandoned();
        observer.attempted(source, operation, { code: String(error.extensions.code), seconds: (performance.now() - started) / 1000, requestId: call.requestId });
        traced?.end({ code: String(error.extensions.code) });
        throw error;
      }
      outcome = { error: transportError(source, error, settings.timeoutMs), retry: true, failure: true };
    } finally {
      slots.release();
    }
    const came = outcome.reply ? { status: outcome.reply.status } : { code: String(outcome.error!.extensions.code) };
    observer.attempted(source, operation, { ...came, seconds: (performance.now() - started) / 1000, requestId: call.requestId });
    traced?.end(came);
    if (outcome.failure) breaker.failed();
    else breaker.succeeded();
    // The provider's quota covers every call to it, not just this one: they all wait.
    if ((outcome.reply?.status === 429 || outcome.reply?.status === 503) && outcome.retryAfterMs !== undefined) {
      budget.pause(performance.now() + outcome.retryAfterMs);
    }
    return outcome;
  };

  /** Private: the attempts of one call, until an answer, a final failure or the retries run out. */
  const execute = async (call: PolicyCall): Promise<UpstreamReply> => {
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(call, attempt);
      if (outcome.retry) {
        const wait = Math.max(backoffMs(attempt, settings.retryBaseMs, settings.retryMaxDelayMs), outcome.retryAfterMs ?? 0);
        const more = call.idempotent && attempt < settings.retries && wait <= settings.retryMaxDelayMs && breaker.state !== 'open';
        if (more) {
          observer.retried(source);
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
      }
      if (outcome.reply) return outcome.reply;
      throw outcome.error;
    }
  };

  const share = <T>(key: string, start: () => Promise<T>): Promise<T> => {
    const shared = inFlight.get(key);
    if (shared) {
      observer.shared(source);
      return shared as Promise<T>;
    }
    const started: Promise<T> = start().finally(() => {
      if (inFlight.get(key) === started) inFlight.delete(key);
    });
    inFlight.set(key, started);
    return started;
  };

  return {
    timeoutMs: settings.timeoutMs,
    breaker,
    run: (call) => (call.shareKey === undefined ? execute(call) : share(call.shareKey, () => execute(call))),
    share,
    forgetInFlight: () => inFlight.clear(),
  };
}

/** What one attempt came to: an answer or a transport error, and whether it is worth another try. */
interface Outcome {
  reply?: UpstreamReply;
  error?: GraphQLError;
  retry: boolean;
  /** Whether it counts against the source's health (the circuit breaker). */
  failure: boolean;
  retryAfterMs?: number;
}

/**
 * Private: how an HTTP answer counts. 429 is worth retrying but says the source is up; 5xx is worth
 * retrying and counts as a failure, except a SOAP Fault in a 500, which is the source's answer.
 */
function judge(reply: UpstreamReply): Outcome {
  const { status } = reply;
  if (status === 429) return { reply, retry: true, failure: false, retryAfterMs: retryAfterMs(reply.headers.get('retry-after')) };
  if (status < 500 || (status === 500 && SOAP_FAULT.test(reply.body.toString('latin1')))) return { reply, retry: false, failure: false };
  return { reply, retry: true, failure: true, retryAfterMs: retryAfterMs(reply.headers.get('retry-after')) };
}

/** A failure of the exchange itself as the typed error the fields get. */
const CLIENT_CERTIFICATE_REFUSED = /^ERR_SSL_(TLSV13|TLSV1|SSLV3)_ALERT_(CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REVOKED|CERTIFICATE_EXPIRED|ACCESS_DENIED)$/;

export function transportError(source: string, error: unknown, timeoutMs: number): GraphQLError {
  if ((error as Error).name === 'TimeoutError') {
    return upstreamError(source, 'UPSTREAM_TIMEOUT', `${source} did not answer within ${timeoutMs} ms.`);
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  // The provider's TLS alert about the certificate Switchboard showed (mutual TLS).
  if (CLIENT_CERTIFICATE_REFUSED.test(code)) {
    return upstreamError(source, 'UPSTREAM_AUTH_FAILED', `${source} refused Switchboard's client certificate.`);
  }
  // A connection that never opened, versus one that broke before the whole answer came.
  if (UNREACHABLE.has(code)) {
    return upstreamError(source, 'UPSTREAM_UNAVAILABLE', `${source} could not be reached.`);
  }
  return upstreamError(source, 'UPSTREAM_UNAVAILABLE', `${source} dropped the connection before it answered in full.`);
}
