/**
 * The load generator: autocannon, with a fixed number of keep-alive connections sending a
 * workload's requests for a fixed time. A varied workload's requests are sent in order, each with its
 * own variables, document and token; a second run with the same `send` goes on where the first stopped.
 *
 *   const send = await clientRequests(workload);
 *   await loadTest({ url, send, connections: 50, seconds: 3 });   // warm-up
 *   const result = await loadTest({ url, send, connections: 50, seconds: 10 });
 *   result.ok / result.seconds; // requests per second answered with 2xx
 */
// @ts-expect-error autocannon ships no types; the fields read below are documented in its README.
import autocannon from 'autocannon';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { CUSTOMER_IDS, type ClientRequest, type Workload } from './workloads.js';

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

/** One HTTP request as a client sends it. */
export interface HttpRequest {
  body: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  url: string;
  /** The next request to send. */
  send: () => HttpRequest;
  connections: number;
  /** How long to send for; or `amount`: how many requests to send, then stop. */
  seconds?: number;
  amount?: number;
  /** Called for every 2xx answer as it arrives (the run's live count). */
  onOk?: () => void;
}

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/**
 * How a client sends a workload's requests: a JSON POST, with a bearer token for the customer a
 * request names (minted beforehand, one per customer, with the demo's secret). `rename` rewrites
 * a request for a target whose schema names things differently.
 */
export async function clientRequests(workload: Workload, rename?: (request: ClientRequest) => ClientRequest): Promise<() => HttpRequest> {
  const toHttp = await httpRequests(rename);
  let n = 0;
  return () => toHttp(workload.request(n++));
}

/** How a client sends any of the workloads' requests, as `clientRequests` does. */
export async function httpRequests(rename: (request: ClientRequest) => ClientRequest = (request) => request): Promise<(request: ClientRequest) => HttpRequest> {
  const auth = { secret: DEMO_VARIABLES.AUTH_JWT_SECRET!, issuer: 'switchboard', audience: 'switchboard-api' };
  const tokens = new Map<string, string>();
  for (const customer of CUSTOMER_IDS) tokens.set(customer, await mintToken(auth, { subject: customer }));
  return (original) => {
    const request = rename(original);
    const token = request.customer && tokens.get(request.customer);
    return {
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      // A new object each time: autocannon writes the body's length into the headers it is given.
      headers: token ? { ...JSON_HEADERS, authorization: `Bearer ${token}` } : { ...JSON_HEADERS },
    };
  };
}

export async function loadTest(options: LoadOptions): Promise<LoadResult> {
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.seconds }),
    timeout: 30,
    requests: [{
      method: 'POST',
      setupRequest: (request: Record<string, unknown>) => ({ ...request, ...options.send() }),
    }],
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
