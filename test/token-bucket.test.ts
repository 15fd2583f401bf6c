// The request budget's arithmetic, on a clock the test moves: bursts, the queue behind them, the
// longest wait, and a provider's pause; and the shared budget's fallback while Redis fails (the shared
// budget itself: test/replicas.test.ts).
import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../gateway/upstream/token-bucket.js';
import { createSharedBudgets } from '../gateway/upstream/shared-budget.js';

function bucket(maxWaitMs = 250) {
  let time = 0;
  const budget = createTokenBucket({ perSecond: 10, burst: 3, maxWaitMs, now: () => time });
  return { budget, advance: (ms: number) => (time += ms) };
}

it('lets a burst go at once, queues the next calls at the rate, and refuses a wait over the limit', () => {
  const { budget, advance } = bucket();
  expect(Array.from({ length: 5 }, () => budget.reserve())).toEqual([0, 0, 0, 100, 200]);
  expect(budget.reserve()).toBeUndefined();
  advance(1000);
  // A second later the queue has drained and the bucket refilled, up to its burst only.
  expect(Array.from({ length: 4 }, () => budget.reserve())).toEqual([0, 0, 0, 100]);
});

it('holds every call back while paused, then goes at the rate from the end of the pause', () => {
  const { budget, advance } = bucket(5000);
  budget.pause(2000);
  expect(budget.pausedFor()).toBe(2000);
  expect([budget.reserve(), budget.reserve()]).toEqual([2100, 2200]);
  advance(2500);
  expect(budget.pausedFor()).toBe(0);
});

it('with no rate, holds calls back only while paused', () => {
  let time = 0;
  const budget = createTokenBucket({ perSecond: Infinity, burst: 1, maxWaitMs: 1000, now: () => time });
  expect(Array.from({ length: 100 }, () => budget.reserve()).every((wait) => wait === 0)).toBe(true);
  budget.pause(500);
  expect(budget.reserve()).toBe(500);
  budget.pause(5000);
  expect(budget.reserve()).toBeUndefined();
  time = 5000;
  expect(budget.reserve()).toBe(0);
});

describe('a budget shared through Redis', () => {
  it('falls back to the replica\'s own budget while Redis fails, with one warning', async () => {
    const warnings: string[] = [];
    const budgets = createSharedBudgets({ url: 'redis://127.0.0.1:1', keyPrefix: 'switchboard-test:' }, (message) => warnings.push(message));
    try {
      const budget = budgets.for('catalog', { perSecond: 1000, burst: 3, maxWaitMs: 0 });
      expect(await Promise.all([budget.take(), budget.take(), budget.take(), budget.take()])).toEqual([true, true, true, false]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/^upstream budgets are each replica's own while Redis fails: /);
    } finally {
      await budgets.close();
    }
  });
});
