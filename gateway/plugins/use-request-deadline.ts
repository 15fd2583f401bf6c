/**
 * A deadline for the whole request (`REQUEST_TIMEOUT_MS`), counted from its arrival, time waiting for
 * a slot (use-concurrency-limit.ts) included: a query or mutation that has not answered by then
 * answers HTTP 504 with `REQUEST_TIMEOUT`, so a client never waits on a gateway longer than that,
 * whatever each upstream's own timeout and retries add up to. Subscriptions are streams and have
 * none. What is still running goes on in the background and is dropped: a mutation the deadline
 * cut off may still complete, which is why `placeOrder` takes an idempotency key.
 *
 * Two plugins: `arrival` goes before admission control, so that waiting for a slot counts, and
 * `execution` after whatever sets the executor (use-compiled-operations.ts), which it wraps.
 *
 *   const deadline = useRequestDeadline({ timeoutMs: 30_000 });
 *   plugins: [deadline.arrival, admission, useCompiledOperations(), deadline.execution]
 */
import { GraphQLError, getOperationAST, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useRequestDeadline({ timeoutMs }: { timeoutMs: number }): { arrival: Plugin; execution: Plugin } {
  const arrivals = new WeakMap<Request, number>();
  const timedOut = (): ExecutionResult => ({
    data: null,
    errors: [new GraphQLError(`Switchboard did not finish this request within ${timeoutMs} ms (REQUEST_TIMEOUT_MS).`, {
      extensions: { code: 'REQUEST_TIMEOUT', http: { status: 504 } },
    })],
  });
  return {
    arrival: {
      onRequest({ request }) {
        arrivals.set(request, performance.now());
      },
    },
    execution: {
      onExecute({ args, executeFn, setExecuteFn, setResultAndStopExecution }) {
        if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') return;
        const request = (args.contextValue as { request?: Request }).request;
        const arrived = request ? arrivals.get(request) : undefined;
        const left = timeoutMs - (arrived === undefined ? 0 : performance.now() - arrived);
        if (left <= 0) {
          setResultAndStopExecution(timedOut());
          return;
        }
        setExecuteFn(async (executionArgs) => {
          let timer: NodeJS.Timeout | undefined;
          const deadline = new Promise<ExecutionResult>((resolve) => {
            timer = setTimeout(() => resolve(timedOut()), left);
          });
          try {
            return await Promise.race([executeFn(executionArgs) as Promise<ExecutionResult>, deadline]);
          } finally {
            clearTimeout(timer);
          }
        });
      },
    },
  };
}
