// Admission control (gateway/plugins/use-concurrency-limit.ts): requests beyond MAX_CONCURRENT_REQUESTS wait
// their turn; beyond MAX_QUEUED_REQUESTS more they are refused at once with 503, Retry-After and a
// typed error, and the gateway serves the next ones normally. Upstreams answer after 100 ms here, so
// that requests overlap. Below that ceiling the limit adapts: fewer at once while the CPU is busy,
// all of them while they wait on upstreams.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSemaphore } from '../gateway/plugins/semaphore.js';
import { nextLimit } from '../gateway/plugins/use-concurrency-limit.js';
import { W2 } from '../bench/workloads.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard({ MAX_CONCURRENT_REQUESTS: '1', MAX_QUEUED_REQUESTS: '1' }, { serving: { latencyMs: 100 } });
});
afterAll(() => switchboard?.close());
beforeEach(() => switchboard.resetLogs());

const post = (query: string) => postTo(switchboard, query);
const postTo = async (target: TestSwitchboard, query: string) => {
  const response = await target.gateway.yoga.fetch('http://switchboard/graphql', {
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

describe('the adaptive limit', () => {
  it('takes a tenth off while the event loop is busy, down to its floor, and adds a tenth while it waits with demand', () => {
    const bounds = { floor: 16, ceiling: 64 };
    expect(nextLimit(64, 0.99, true, bounds)).toBe(58);
    expect(nextLimit(17, 0.95, true, bounds)).toBe(16);
    expect(nextLimit(16, 1, true, bounds)).toBe(16);
    expect(nextLimit(16, 0.5, true, bounds)).toBe(18);
    expect(nextLimit(4, 0.5, true, { floor: 4, ceiling: 8 })).toBe(5);
    expect(nextLimit(40, 0.5, true, bounds)).toBe(44);
    expect(nextLimit(62, 0.2, true, bounds)).toBe(64);
    // Idle slots and no one waiting: nothing to learn.
    expect(nextLimit(20, 0.2, false, bounds)).toBe(20);
  });

  it('lets waiters in when it grows, and holds new ones back when it shrinks until enough slots are released', async () => {
    const slots = createSemaphore(2);
    const order: string[] = [];
    expect([slots.tryAcquire(), slots.tryAcquire(), slots.tryAcquire()]).toEqual([true, true, false]);
    const waiters = ['c', 'd', 'e'].map((name) => slots.acquire().then(() => order.push(name)));
    slots.resize(4);
    await Promise.resolve();
    expect(order).toEqual(['c', 'd']);
    expect([slots.held, slots.waiting]).toEqual([4, 1]);
    slots.resize(2);
    slots.release();
    slots.release();
    await Promise.resolve();
    expect(order).toEqual(['c', 'd']);
    expect([slots.held, slots.waiting]).toEqual([2, 1]);
    slots.release();
    await Promise.all(waiters);
    expect(order).toEqual(['c', 'd', 'e']);
    expect(slots.held).toBe(2);
  });

  describe('in a gateway', () => {
    const DEFAULT_LIMITS = { MAX_CONCURRENT_REQUESTS: '64', MAX_QUEUED_REQUESTS: '1000' };
    let gateway: TestSwitchboard;
    const health = async () => (await (await gateway.gateway.yoga.fetch('http://switchboard/healthz')).json()) as { requests: Record<string, number> };
    afterEach(() => gateway?.close());
    const distinctPages = (count: number) => Array.from({ length: count }, (_, index) => `{ products(first: ${index + 1}) { id name price } }`);

    it('keeps every request in flight while they wait on slow upstreams', async () => {
      gateway = await startTestSwitchboard(DEFAULT_LIMITS, { serving: { latencyMs: 150 } });
      const answers = Promise.all(distinctPages(24).map((query) => postTo(gateway, query)));
      await new Promise((resolve) => setTimeout(resolve, 75));
      // Reading and compiling 24 new documents may keep the event loop busy for a sample or two (a
      // limit of 58), but all 24 run at once.
      const { requests } = await health();
      expect([requests.running, requests.waiting]).toEqual([24, 0]);
      expect(requests.limit).toBeGreaterThanOrEqual(24);
      expect((await answers).map(({ status, body }) => [status, body.data.products.length])).toEqual(
        Array.from({ length: 24 }, (_, index) => [200, index + 1]),
      );
      expect(callCounts(await gateway.requests()).catalog).toBe(24);
    });

    it('runs fewer at once while the CPU is the bottleneck, and answers every request', async () => {
      gateway = await startTestSwitchboard(DEFAULT_LIMITS, { serving: { latencyMs: 0 } });
      const w1 = (first: number) => `{ products(first: ${first}) { id name stock { total } reviews { rating author { name } } } }`;
      const answers = await Promise.all(Array.from({ length: 64 }, (_, index) => postTo(gateway, w1(37 + index))));
      expect(answers.map(({ status, body }) => [status, body.data?.products.length, body.errors])).toEqual(
        Array.from({ length: 64 }, (_, index) => [200, 37 + index, undefined]),
      );
      const { requests } = await health();
      expect(requests.limit).toBeLessThan(64);
      expect(requests.limit).toBeGreaterThanOrEqual(16);
      expect([requests.running, requests.waiting]).toEqual([0, 0]);
    });
  });
});
