/**
 * The benchmark smoke: every workload of `npm run bench` (bench/workloads.ts), answered once, costs
 * exactly the fewest upstream calls that can answer it, counted by the upstreams themselves. A change
 * that adds a call per item or splits a batch fails here; timings are measured by the bench, never here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOADS } from '../bench/workloads.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

describe.each(WORKLOADS)('$name ($description)', (workload) => {
  it('answers with data and no error, in the fewest upstream calls', async () => {
    await switchboard.resetLogs();
    const { status, body } = await switchboard.query(workload.query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toBeTruthy();
    expect(callCounts(await switchboard.requests())).toEqual(workload.minimalCalls);
  });

  it('costs at most the same calls per request when ten clients ask at once', async () => {
    await switchboard.resetLogs();
    const answers = await Promise.all(Array.from({ length: 10 }, () => switchboard.query(workload.query)));
    expect(answers.map((answer) => answer.body)).toEqual(Array(10).fill({ data: answers[0]!.body.data }));
    // Identical reads in flight at once may be shared between requests, never multiplied.
    const counts = callCounts(await switchboard.requests());
    for (const [source, calls] of Object.entries(workload.minimalCalls)) {
      expect(counts[source as keyof typeof counts], source).toBeLessThanOrEqual(calls * 10);
    }
  });
});
