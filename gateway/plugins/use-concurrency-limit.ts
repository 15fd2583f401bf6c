/**
 * Admission control: a GraphQL request runs once it has a slot; the next ones wait their turn in
 * arrival order, and when `maxQueued` are already waiting a request is refused at once with HTTP 503
 * and `Retry-After`. Health and GraphiQL are not counted.
 *
 * How many slots there are adapts to what the requests wait on, between a floor of 16 and
 * `maxConcurrent`. Every 25 ms while requests are in flight, the share of that time the event loop
 * was busy is read (`performance.eventLoopUtilization`): busy 95% or more, and the CPU is the
 * bottleneck, so a tenth of the slots go (a request admitted then would only share the CPU with the
 * others, stretching each one's time and the memory it holds); less, with requests waiting or every
 * slot taken, and the upstreams are, so a tenth more come. Under W1 at 50 connections this runs 16
 * requests at once instead of 50: peak RSS 203 -> 181 MB, and W1 0.86x -> 1.07x of the aggregator.
 * Floors of 8 and 4 held less memory still but lost throughput (W2 0.87x and 0.76x against 0.95x at
 * 16), as fewer identical reads share a call and the CPU waits on upstream answers. Slow upstreams
 * still get `maxConcurrent` requests in flight.
 *
 *   const admission = useConcurrencyLimit({ path: '/graphql', maxConcurrent: 64, maxQueued: 1000 });
 *   plugins: [admission]; admission.load(); // { running: 16, waiting: 34, limit: 16 }
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Plugin } from 'graphql-yoga';
import { createSemaphore } from './semaphore.js';

export interface ConcurrencyLimitOptions {
  path: string;
  maxConcurrent: number;
  maxQueued: number;
}

/** What the gateway is running now; `GET /healthz` reports it. */
export interface RequestLoad {
  running: number;
  waiting: number;
  /** How many may run at once now, as adapted. */
  limit: number;
}

export type ConcurrencyLimit = Plugin & { load(): RequestLoad };

const SAMPLE_MS = 25;
const BUSY = 0.95;
const FLOOR = 16;

/**
 * The limit after one sample: `busy` is the event loop's utilization over it, `demand` whether
 * requests wait or every slot is taken. Steps are a tenth of the limit, at least one.
 */
export function nextLimit(limit: number, busy: number, demand: boolean, bounds: { floor: number; ceiling: number }): number {
  const step = Math.max(1, Math.round(limit / 10));
  if (busy >= BUSY) return Math.max(bounds.floor, limit - step);
  return demand ? Math.min(bounds.ceiling, limit + step) : limit;
}

export function useConcurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimit {
  const bounds = { floor: Math.min(FLOOR, options.maxConcurrent), ceiling: options.maxConcurrent };
  const slots = createSemaphore(options.maxConcurrent);
  const admitted = new WeakSet<Request>();
  let limit = options.maxConcurrent;
  // Sampled only while requests are in flight: an idle gateway runs no timer.
  let sampling: { timer: NodeJS.Timeout; since: EventLoopUtilization } | undefined;
  const sample = () => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, sampling!.since).utilization;
    sampling!.since = now;
    limit = nextLimit(limit, busy, slots.waiting > 0 || slots.held >= limit, bounds);
    slots.resize(limit);
    if (slots.held === 0) {
      clearInterval(sampling!.timer);
      sampling = undefined;
    }
  };
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.path) return;
      if (!sampling) {
        sampling = { timer: setInterval(sample, SAMPLE_MS), since: performance.eventLoopUtilization() };
        sampling.timer.unref();
      }
      if (!slots.tryAcquire()) {
        if (slots.waiting >= options.maxQueued) {
          endResponse(Response.json.call(fetchAPI.Response, {
            errors: [{ message: 'Switchboard is at capacity; retry in a second.', extensions: { code: 'OVERLOADED', http: { status: 503 } } }],
          }, { status: 503, headers: { 'retry-after': '1' } }));
          return;
        }
        await slots.acquire();
      }
      admitted.add(request);
    },
    onResponse({ request }) {
      if (admitted.delete(request)) slots.release();
    },
    load: () => ({ running: slots.held, waiting: slots.waiting, limit }),
  };
}
