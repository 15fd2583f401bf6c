/**
 * A counting semaphore with a FIFO queue: at most `max` holders at once, the next ones served in
 * arrival order. Admission control (use-concurrency-limit.ts) and each source's concurrency limit
 * (upstream/policy.ts) both stand on it.
 *
 *   const slots = createSemaphore(2);
 *   if (!slots.tryAcquire()) await slots.acquire();
 *   try { await work(); } finally { slots.release(); }
 */
export interface Semaphore {
  /** Takes a slot if one is free, without waiting. */
  tryAcquire(): boolean;
  /** Resolves once a slot is held; a slot that was free is taken at once. */
  acquire(): Promise<void>;
  /** Gives a held slot back; the longest waiter gets it. */
  release(): void;
  /** How many wait for a slot. */
  readonly waiting: number;
  /** How many hold a slot. */
  readonly held: number;
  /**
   * Changes how many may hold a slot at once: a larger `max` lets waiters in at once; a smaller one
   * takes effect as holders release theirs.
   */
  resize(max: number): void;
}

export function createSemaphore(max: number): Semaphore {
  let held = 0;
  const queue: (() => void)[] = [];
  const tryAcquire = () => {
    if (held >= max) return false;
    held += 1;
    return true;
  };
  return {
    tryAcquire,
    acquire() {
      // The slot is handed over by `release`, so `held` stays counted for the waiter.
      return tryAcquire() ? Promise.resolve() : new Promise<void>((resolve) => queue.push(resolve));
    },
    release() {
      const next = held <= max ? queue.shift() : undefined;
      if (next) next();
      else held -= 1;
    },
    get waiting() {
      return queue.length;
    },
    get held() {
      return held;
    },
    resize(to: number) {
      max = to;
      while (held < max && queue.length) {
        held += 1;
        queue.shift()!();
      }
    },
  };
}
