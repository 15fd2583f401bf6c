/**
 * What the upstream side tells whoever watches it (the metrics, gateway/metrics/): each attempt with
 * its outcome and duration, the retries, the calls the circuit breaker or the request budget held
 * back, the calls that joined one in flight, the OAuth tokens fetched. The upstream code calls these
 * and knows nothing of what is done with them.
 *
 *   const upstreams = createUpstreams(config, { observer: metrics.upstream });
 */
export interface AttemptOutcome {
  /** The HTTP status the upstream answered; none when the exchange itself failed. */
  status?: number;
  /** The typed error the attempt came to (`UPSTREAM_TIMEOUT`, …); none when it got an answer. */
  code?: string;
  seconds: number;
  /** The client request the call was made for (its `x-request-id`), when there is one. */
  requestId?: string;
}

export interface UpstreamObserver {
  /** One exchange with the source ended, `operation` being the contract's name for the call. */
  attempted(source: string, operation: string, outcome: AttemptOutcome): void;
  /** A call is tried again. */
  retried(source: string): void;
  /** The open circuit breaker failed a call without sending it. */
  shortCircuited(source: string, requestId?: string): void;
  /** A call waited `seconds` for the request budget before it went. */
  budgetWaited(source: string, seconds: number): void;
  /** The request budget refused a call (it would have waited too long). */
  budgetRefused(source: string, requestId?: string): void;
  /** A call was answered by an identical one already in flight. */
  shared(source: string): void;
  /** An OAuth2 token was asked for. */
  tokenFetched(source: string, outcome: 'ok' | 'failed'): void;
}

/**
 * One attempt as a trace sees it (gateway/tracing/spans.ts): begun before the attempt meets the
 * circuit breaker, ended with what it came to. The upstream code knows nothing else of tracing.
 */
export interface AttemptTrace {
  /** The trace headers the attempt carries to the source (`traceparent`). */
  readonly headers: Readonly<Record<string, string>>;
  end(outcome: { status?: number; code?: string }): void;
}

/** An observer that watches nothing. */
export const UNOBSERVED: UpstreamObserver = {
  attempted() {},
  retried() {},
  shortCircuited() {},
  budgetWaited() {},
  budgetRefused() {},
  shared() {},
  tokenFetched() {},
};

/** One observer that tells each of `observers` everything. */
export function observeAll(...observers: UpstreamObserver[]): UpstreamObserver {
  const all = {} as Record<keyof UpstreamObserver, (...args: never[]) => void>;
  for (const key of Object.keys(UNOBSERVED) as (keyof UpstreamObserver)[]) {
    all[key] = (...args: never[]) => {
      for (const observer of observers) (observer[key] as (...given: never[]) => void)(...args);
    };
  }
  return all as UpstreamObserver;
}
