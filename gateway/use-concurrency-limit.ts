/**
 * Admission control: at most `maxConcurrent` GraphQL requests are executed at once; the next ones
 * wait their turn in arrival order, and when `maxQueued` are already waiting a request is refused at
 * once with HTTP 503 and `Retry-After`. A stitched request holds a few MB of upstream answers while it
 * runs; bounding how many run at once bounds the gateway's memory under any load, without costing
 * throughput (the CPU is busy either way). Health and GraphiQL are not counted.
 *
 *   plugins: [useConcurrencyLimit({ path: '/graphql', maxConcurrent: 64, maxQueued: 1000 })]
 */
import type { Plugin } from 'graphql-yoga';
import { createSemaphore } from './semaphore.js';

export interface ConcurrencyLimitOptions {
  path: string;
  maxConcurrent: number;
  maxQueued: number;
}

export function useConcurrencyLimit(options: ConcurrencyLimitOptions): Plugin {
  const slots = createSemaphore(options.maxConcurrent);
  const admitted = new WeakSet<Request>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.path) return;
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
  };
}
