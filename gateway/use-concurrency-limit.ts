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

export interface ConcurrencyLimitOptions {
  path: string;
  maxConcurrent: number;
  maxQueued: number;
}

export function useConcurrencyLimit(options: ConcurrencyLimitOptions): Plugin {
  let running = 0;
  const waiting: (() => void)[] = [];
  const admitted = new WeakSet<Request>();
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== options.path) return;
      if (running < options.maxConcurrent) {
        running += 1;
      } else if (waiting.length >= options.maxQueued) {
        endResponse(Response.json.call(fetchAPI.Response, {
          errors: [{ message: 'Switchboard is at capacity; retry in a second.', extensions: { code: 'OVERLOADED', http: { status: 503 } } }],
        }, { status: 503, headers: { 'retry-after': '1' } }));
        return;
      } else {
        // The slot is handed over by `release`, so `running` stays counted for this request.
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      admitted.add(request);
    },
    onResponse({ request }) {
      if (admitted.delete(request)) release();
    },
  };
}
