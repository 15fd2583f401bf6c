/**
 * A source's request budget: a token bucket holding at most `burst` tokens and refilled at
 * `perSecond`. Calls beyond the budget are not refused: each reserves the next token and waits for
 * it, so a burst of client traffic leaves the gateway spread out at the provider's rate. A reservation
 * further away than `maxWaitMs` is refused instead, so that a client is not kept waiting for minutes.
 * A provider's `Retry-After` pauses the budget (`pause`), and the calls then go at its rate again.
 * With `perSecond: Infinity` the bucket only holds calls back while it is paused.
 *
 *   const budget = createTokenBucket({ perSecond: 200, burst: 80, maxWaitMs: 5000 });
 *   const wait = budget.reserve();   // 0: go now; 5: go in 5 ms; undefined: over the budget
 */
export interface TokenBucketOptions {
  perSecond: number;
  burst: number;
  maxWaitMs: number;
  now?: () => number;
}

export interface TokenBucket {
  /** Takes the next token: the milliseconds to wait before using it, or undefined when that is over `maxWaitMs`. */
  reserve(): number | undefined;
  /** No token is handed out before `until` (a time from `now`); the tokens saved up are dropped. */
  pause(until: number): void;
  /** Waits for the next token; false when it is over `maxWaitMs` away. */
  take(): Promise<boolean>;
  /** How long the pause still lasts, in milliseconds; 0 when not paused. */
  pausedFor(): number;
}

export function createTokenBucket(options: TokenBucketOptions): TokenBucket {
  const now = options.now ?? performance.now.bind(performance);
  const msPerToken = 1000 / options.perSecond;
  // Tokens may go below zero: each waiting reservation owes one, which keeps the waiters in order.
  let tokens = options.burst;
  // When `tokens` was last brought up to date; in the future while paused.
  let updatedAt = now();
  let pausedUntil = 0;

  const refill = (time: number) => {
    if (time <= updatedAt) return;
    tokens = Math.min(options.burst, tokens + (time - updatedAt) / msPerToken);
    updatedAt = time;
  };
  const reserve = () => {
    const time = now();
    refill(time);
    const wait = Math.max(0, updatedAt - time) + (tokens >= 1 ? 0 : (1 - tokens) * msPerToken);
    if (wait > options.maxWaitMs) return undefined;
    tokens -= 1;
    return wait;
  };
  return {
    reserve,
    pause(until) {
      refill(now());
      if (until <= updatedAt) return;
      pausedUntil = until;
      tokens = Math.min(tokens, 0);
      updatedAt = until;
    },
    pausedFor() {
      return Math.max(0, pausedUntil - now());
    },
    async take() {
      for (;;) {
        const reservedAt = now();
        const wait = reserve();
        if (wait === undefined) return false;
        // Node counts a timer from the start of the event loop's turn, so one set late in a busy turn
        // fires early by that much: calls would reach the provider bunched, over its quota (a burst of
        // 200 queries drew 429s under load). The token is used when it is due by the clock.
        for (let left = wait; left > 0; left = reservedAt + wait - now()) await new Promise((resolve) => setTimeout(resolve, left));
        // A pause that came while this call waited makes its token void: it queues again, behind the pause.
        if (pausedUntil <= reservedAt || pausedUntil <= now()) return true;
      }
    },
  };
}
