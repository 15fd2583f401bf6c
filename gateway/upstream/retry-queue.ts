/**
 * Work that must happen even when an upstream is down right now: undoing the steps of an order that
 * failed (release the stock, refund the charge) and finishing one that succeeded (commit the stock).
 * A task runs at once; if it fails, it runs again later, with exponential backoff and jitter, until
 * it succeeds. Tasks must be safe to run again (they are: each is named by the order's own ids).
 *
 * The queue lives in the gateway's memory: a task still waiting when the process stops is logged,
 * not kept. (A replica set would keep it in Redis, with the other shared state.)
 *
 *   const queue = createRetryQueue();
 *   const doneAtOnce = await queue.run('release res-1', () => release('res-1'));
 *   await queue.idle();   // every task has succeeded
 */
import { backoffMs } from './backoff.js';
import { log as gatewayLog } from '../logging/log.js';

export interface RetryQueue {
  /** Runs `task` now, and again later until it succeeds; true when the first try succeeded. */
  run(name: string, task: () => Promise<unknown>): Promise<boolean>;
  /** Resolves once every task has succeeded. */
  idle(): Promise<void>;
  /** How many tasks wait for another try. */
  readonly pending: number;
  /** Stops retrying; what is still pending is logged. */
  stop(): void;
}

export interface RetryQueueOptions {
  baseMs?: number;
  maxMs?: number;
  log?: (message: string) => void;
}

export function createRetryQueue(options: RetryQueueOptions = {}): RetryQueue {
  const { baseMs = 100, maxMs = 10_000, log = (message: string) => gatewayLog.warn(message) } = options;
  const waiting = new Map<string, NodeJS.Timeout>();
  let idleWaiters: (() => void)[] = [];
  let stopped = false;

  const settle = () => {
    if (waiting.size > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters = [];
  };
  const retryLater = (name: string, task: () => Promise<unknown>, attempt: number) => {
    if (stopped) return;
    const timer = setTimeout(async () => {
      try {
        await task();
        waiting.delete(name);
        settle();
      } catch {
        retryLater(name, task, attempt + 1);
      }
    }, Math.max(baseMs, backoffMs(attempt, baseMs * 2, maxMs)));
    // A retry must not keep a stopping process alive.
    timer.unref();
    waiting.set(name, timer);
  };

  return {
    async run(name, task) {
      try {
        await task();
        return true;
      } catch (error) {
        log(`${name} failed (${(error as Error).message}); it will be retried until it succeeds.`);
        retryLater(name, task, 0);
        return false;
      }
    },
    idle() {
      return waiting.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve));
    },
    get pending() {
      return waiting.size;
    },
    stop() {
      stopped = true;
      for (const timer of waiting.values()) clearTimeout(timer);
      if (waiting.size > 0) log(`stopped with ${waiting.size} task(s) not done: ${[...waiting.keys()].join(', ')}.`);
    },
  };
}
