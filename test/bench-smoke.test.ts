/**
 * The benchmark smoke: every workload of `npm run bench` (bench/workloads.ts), each of its kinds of
 * request answered once, costs exactly the fewest upstream calls that can answer it, counted by the
 * upstreams themselves. A change that adds a call per item or splits a batch fails here; timings are
 * measured by the bench, never here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKLOADS, type ClientRequest } from '../bench/workloads.js';
import { callCounts, startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
});
afterAll(() => switchboard?.close());

/** Private: a workload's request as its client sends it, with the customer's own token where it names one. */
async function ask(request: ClientRequest) {
  const headers = request.customer ? { authorization: `Bearer ${await switchboard.tokenFor(request.customer)}` } : undefined;
  return switchboard.query(request.query, request.variables, headers);
}

// The session mix repeats every 20 requests: 0 is a product page, 10 a list page, 17 an order history.
const SAMPLE = [0, 1, 10, 17];

describe.each(WORKLOADS)('$name ($description)', (workload) => {
  it.each(workload.kind === 'varied' ? SAMPLE : [0])('answers request %i with data and no error, in the fewest upstream calls', async (n) => {
    const request = workload.request(n);
    await switchboard.resetLogs();
    const { status, body } = await ask(request);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(Object.values(body.data ?? {})[0]).toBeTruthy();
    expect(callCounts(await switchboard.requests())).toEqual(request.minimalCalls);
  });

  it('costs at most the same calls per request when ten clients ask at once', async () => {
    await switchboard.resetLogs();
    const requests = Array.from({ length: 10 }, (_, n) => workload.request(n));
    const answers = await Promise.all(requests.map(ask));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    if (workload.kind === 'identical') expect(answers.map((answer) => answer.body)).toEqual(Array(10).fill({ data: answers[0]!.body.data }));
    // Reads in flight at once may be shared between requests, never multiplied.
    const counts = callCounts(await switchboard.requests());
    for (const source of Object.keys(workload.minimalCalls) as (keyof typeof counts)[]) {
      expect(counts[source], source).toBeLessThanOrEqual(requests.reduce((sum, request) => sum + request.minimalCalls[source], 0));
    }
  });
});
