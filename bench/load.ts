/**
 * The load generator: autocannon, with a fixed number of keep-alive connections each sending the
 * same GraphQL POST for a fixed time.
 *
 *   const result = await loadTest({ url, body: JSON.stringify({ query }), connections: 50, seconds: 10 });
 *   result.ok / result.seconds; // requests per second answered with 2xx
 */
// @ts-expect-error autocannon ships no types; the fields read below are documented in its README.
import autocannon from 'autocannon';

export interface LoadResult {
  /** Requests answered with a 2xx. */
  ok: number;
  /** Non-2xx answers, connection errors and timeouts. */
  failed: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  latency: { p50: number; p99: number };
}

export interface LoadOptions {
  url: string;
  body: string;
  connections: number;
  seconds: number;
  /** Called for every 2xx answer as it arrives (the run's live count). */
  onOk?: () => void;
}

export async function loadTest(options: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: options.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: options.body,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
  });
  if (options.onOk) {
    const onOk = options.onOk;
    instance.on('response', (_client: unknown, status: number) => {
      if (status >= 200 && status < 300) onOk();
    });
  }
  const result = (await instance) as AutocannonResult;
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
