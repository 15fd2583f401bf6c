// Admission control (gateway/use-concurrency-limit.ts): requests beyond MAX_CONCURRENT_REQUESTS wait
// their turn; beyond MAX_QUEUED_REQUESTS more they are refused at once with 503, Retry-After and a
// typed error, and the gateway serves the next ones normally. Upstreams answer after 100 ms here, so
// that requests overlap.
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { W2 } from '../bench/workloads.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1' }, { serving: { latencyMs: 100 } });
});
afterAll(() => switchboard?.close());
beforeEach(() => switchboard.resetLogs());

const post = async (query: string) => {
  const response = await switchboard.gateway.yoga.fetch('http://switchboard/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, any> };
};

it('runs one request at a time and queues the next, both answered in order', async () => {
  const finished: number[] = [];
  const answers = await Promise.all([0, 1].map(async (index) => {
    const answer = await post(W2.query);
    finished.push(index);
    return answer;
  }));
  expect(answers.map((answer) => [answer.status, answer.body.data?.products.length])).toEqual([[200, 100], [200, 100]]);
  expect(finished).toEqual([0, 1]);
  expect(callCounts(await switchboard.requests()).catalog).toBe(2);
});

it('refuses a request when the queue is full with 503, Retry-After and OVERLOADED, then serves again', async () => {
  const running = post(W2.query);
  const queued = post(W2.query);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  const refused = await post(W2.query);
  expect(performance.now() - started).toBeLessThan(50);
  expect(refused).toEqual({
    status: 503,
    retryAfter: '1',
    body: { errors: [{ message: 'Switchboard is at capacity; retry in a second.', extensions: { code: 'OVERLOADED', http: { status: 503 } } }] },
  });
  expect([(await running).status, (await queued).status]).toEqual([200, 200]);
  expect((await post(W2.query)).status).toBe(200);
  // The refused request never reached an upstream.
  expect(callCounts(await switchboard.requests()).catalog).toBe(3);
});

it('does not count health checks', async () => {
  const running = post(W2.query);
  const queued = post(W2.query);
  await new Promise((resolve) => setTimeout(resolve, 20));
  const health = await switchboard.gateway.yoga.fetch('http://switchboard/healthz');
  expect(health.status).toBe(200);
  expect([(await running).status, (await queued).status]).toEqual([200, 200]);
});
