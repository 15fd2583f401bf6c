/**
 * A source's circuit breaker. Closed, every call goes. After `failures` failed attempts in a row it
 * opens: calls fail at once, without reaching the source, for `cooldownMs`. Then it is half-open: one
 * call goes through as a probe while the others still fail fast; the probe's success closes the
 * breaker, its failure opens it for another cooldown.
 *
 *   const breaker = createCircuitBreaker({ failures: 5, cooldownMs: 10_000 });
 *   const admission = breaker.admit();              // { admitted: false, retryInMs } while open
 *   ... then breaker.succeeded(), breaker.failed() or breaker.abandoned()
 */
export interface CircuitBreakerOptions {
  failures: number;
  cooldownMs: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export type Admission = { admitted: true } | { admitted: false; retryInMs: number };

export interface CircuitBreaker {
  /** Whether a call may go now. An admitted call must end in `succeeded()`, `failed()` or `abandoned()`. */
  admit(): Admission;
  succeeded(): void;
  failed(): void;
  /** An admitted call that never reached the source: no verdict, and a probe's turn passes on. */
  abandoned(): void;
  readonly state: BreakerState;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  let consecutiveFailures = 0;
  let openedAt: number | undefined;
  let probing = false;

  const state = (): BreakerState => {
    if (openedAt === undefined) return 'closed';
    return now() - openedAt < options.cooldownMs ? 'open' : 'half-open';
  };
  return {
    admit() {
      const current = state();
      if (current === 'closed') return { admitted: true };
      if (current === 'half-open' && !probing) {
        probing = true;
        return { admitted: true };
      }
      // While the probe is out, the others wait for its verdict as if the breaker were still open.
      const retryInMs = current === 'open' ? options.cooldownMs - (now() - openedAt!) : 1000;
      return { admitted: false, retryInMs: Math.max(1, Math.ceil(retryInMs)) };
    },
    succeeded() {
      consecutiveFailures = 0;
      openedAt = undefined;
      probing = false;
    },
    failed() {
      consecutiveFailures += 1;
      if (probing || consecutiveFailures >= options.failures) openedAt = now();
      probing = false;
    },
    abandoned() {
      probing = false;
    },
    get state() {
      return state();
    },
  };
}
