/**
 * What the benchmark measures: Switchboard and its baselines, each a process started on the server
 * core over the same upstreams. A target answers a workload with `queryFor(workload)` (undefined when
 * it cannot), and its data must equal Switchboard's before it is measured.
 */
import { startPinned, type Pinned } from './processes.js';
import type { Workload } from './workloads.js';

export interface Target {
  name: string;
  title: string;
  start(env: Record<string, string>, cpu: number, nodeOptions: string[]): Promise<Pinned<{ url: string }>>;
  queryFor(workload: Workload): string | undefined;
  /** Reshapes the target's data into Switchboard's, where its schema names things differently. */
  normalize?(data: unknown): unknown;
}

const sameQuery = (workload: Workload) => workload.query;

export const TARGETS: readonly Target[] = [
  {
    name: 'switchboard',
    title: 'Switchboard',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/switchboard.ts', [], { cpu, env, nodeOptions }),
    queryFor: sameQuery,
  },
  {
    name: 'unbatched',
    title: '(a) the same composition, unbatched',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/switchboard.ts', ['--unbatched'], { cpu, env, nodeOptions }),
    queryFor: sameQuery,
  },
  {
    name: 'aggregator',
    title: '(b) hand-written aggregator',
    start: (env, cpu, nodeOptions) => startPinned('bench/targets/aggregator.ts', [], { cpu, env, nodeOptions }),
    queryFor: sameQuery,
  },
];
