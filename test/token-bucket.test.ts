// The request budget's arithmetic, on a clock the test moves: bursts, the queue behind them, the
// longest wait, and a provider's pause.
import { expect, it } from 'vitest';
import { createTokenBucket } from '../gateway/upstream/token-bucket.js';

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
