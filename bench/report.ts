/**
 * The benchmark's report: per upstream latency, a table of what each target did on each workload,
 * then Switchboard's figures as ratios against each baseline measured in the same run; traffic that
 * differs per request (the headline) apart from one query repeated (which measures in-flight sharing).
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { DEMO_SERVICE_NAMES as SOURCE_NAMES, type DemoServiceName as SourceName } from '../demo/world/index.js';
import { ROOT } from './processes.js';
import type { ColdStart } from './cold-start.js';
import type { Target } from './targets.js';
import type { Workload } from './workloads.js';

export interface Measurement {
  latencyMs: number;
  workload: string;
  target: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  callsPerRequest: Record<SourceName, number>;
  peakRssMb: number;
  /** Share of one core used by the server under test. */
  cpuPercent: number;
  cpuMsPerRequest: number;
  /** Share of core 0 used by the upstreams (which share it with the load generator). */
  upstreamCpuPercent: number;
}

const VERSIONED_PACKAGES = ['@graphql-mesh/cli', 'graphql-yoga', 'graphql', 'graphql-jit', 'dataloader', 'soap', 'txml', 'autocannon', '@graphql-hive/gateway', '@graphql-mesh/compose-cli'];

export function describeMachine(): string {
  // The baselines' own packages (bench/hive) are looked up there.
  const version = (name: string) => {
    for (const modules of ['node_modules', 'bench/hive/node_modules']) {
      try {
        return (JSON.parse(readFileSync(`${ROOT}${modules}/${name}/package.json`, 'utf8')) as { version: string }).version;
      } catch {
        // Not installed there.
      }
    }
    return undefined;
  };
  const versions = VERSIONED_PACKAGES.map((name) => [name, version(name)]).filter(([, v]) => v).map(([name, v]) => `${name} ${v}`);
  return [
    `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux`,
    `Node ${process.version}; ${versions.join(', ')}`,
  ].join('\n');
}

export function renderReport(
  measurements: Measurement[],
  workloads: Workload[],
  targets: Target[],
  machine: string,
  options: { runs: number; seconds: number; warmupSeconds: number; connections: number; coldStart?: ColdStart; leftOut?: string[] },
): string {
  const lines = [
    '# Switchboard benchmark',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\`.`,
    '',
    '```',
    machine,
    '```',
    '',
    `Server under test on core 1; autocannon and the demo upstreams on core 0. ${options.connections} connections, `
      + `${options.runs} run(s) of ${options.seconds} s per target after a ${options.warmupSeconds} s warm-up, interleaved, on servers started afresh for each workload; `
      + 'the median is quoted (peak RSS: the highest). The upstreams add a fixed latency to every answer and replay '
      + 'answers they already computed, so that their own CPU does not cap the comparison. Upstream calls are counted '
      + 'by the upstreams themselves; "min" is the fewest calls that can answer one request of the workload '
      + '(bench/workloads.ts). Switchboard shares identical reads in flight across client requests (its upstream '
      + 'policy), so under concurrent load of one query it makes fewer calls per request than that. The unbatched '
      + 'baseline is the same gateway with batching off, its admission control included: while the CPU is the '
      + 'bottleneck it runs 16 requests at once, so fewer of its many identical reads share a call.',
    '',
    'Targets:',
    ...targets.map((target) => `- \`${target.name}\`: ${target.title}`),
  ];
  if (options.leftOut?.length) lines.push('', 'Not measured:', ...options.leftOut.map((line) => `- ${line}`));
  if (options.coldStart) {
    lines.push('', `Cold start of Switchboard (spawn of .mesh/start.mjs to the first W1 answered, composition built): `
      + `median ${options.coldStart.medianMs.toFixed(0)} ms (runs: ${options.coldStart.runs.map((ms) => ms.toFixed(0)).join(', ')} ms).`);
  }
  lines.push('', 'Workloads:', ...workloads.map((workload) => `- \`${workload.name}\` (${KIND_TITLES[workload.kind]}): ${workload.description}`));
  for (const latencyMs of [...new Set(measurements.map((m) => m.latencyMs))]) {
    lines.push('', `## Upstream latency ${latencyMs} ms`);
    for (const kind of ['varied', 'identical'] as const) {
      const ofKind = workloads.filter((workload) => workload.kind === kind);
      if (ofKind.length === 0) continue;
      lines.push('', `### ${SECTION_TITLES[kind]}`, '');
      lines.push(...measurementTable(measurements.filter((m) => m.latencyMs === latencyMs), ofKind));
      lines.push('', 'Switchboard as a ratio of each baseline: req/s (higher is better); in brackets p50 latency and CPU ms per request (lower is better).', '');
      lines.push(...ratioTable(measurements.filter((m) => m.latencyMs === latencyMs), ofKind, targets.filter((target) => target.name !== 'switchboard')));
    }
  }
  return `${lines.join('\n')}\n`;
}

const KIND_TITLES: Record<Workload['kind'], string> = { varied: 'varied', identical: 'identical requests' };
const SECTION_TITLES: Record<Workload['kind'], string> = {
  varied: 'Traffic as users send it: every request different',
  identical: 'One query repeated: Switchboard shares identical reads in flight, which no baseline does (not the headline)',
};

/** Private: what each target did on each workload. */
function measurementTable(measurements: Measurement[], workloads: Workload[]): string[] {
  const lines = [
    '| workload | target | req/s | p50 ms | p99 ms | upstream calls/req (c+p+i+r) | min | peak RSS MB | CPU % | CPU ms/req | failed |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const workload of workloads) {
    for (const m of measurements.filter((x) => x.workload === workload.name)) {
      lines.push(`| ${workload.name} | ${m.target} | ${m.rps.toFixed(0)} | ${m.p50Ms} | ${m.p99Ms} | ${calls(m.callsPerRequest)} | `
        + `${calls(workload.minimalCalls)} | ${m.peakRssMb.toFixed(0)} | ${m.cpuPercent.toFixed(0)} | ${m.cpuMsPerRequest.toFixed(2)} | ${m.failed} |`);
    }
  }
  return lines;
}

/** Private: Switchboard's figures as ratios of each baseline's, per workload. */
function ratioTable(measurements: Measurement[], workloads: Workload[], baselines: Target[]): string[] {
  const lines = [`| workload | ${baselines.map((b) => `vs ${b.name}`).join(' | ')} |`, `| --- | ${baselines.map(() => '---:').join(' | ')} |`];
  const ratio = (ours: number, theirs: number) => `${(ours / Math.max(theirs, 0.01)).toFixed(2)}×`;
  for (const workload of workloads) {
    const ours = measurements.find((m) => m.workload === workload.name && m.target === 'switchboard');
    const cells = baselines.map((baseline) => {
      const theirs = measurements.find((m) => m.workload === workload.name && m.target === baseline.name);
      if (!ours || !theirs) return 'n/a';
      return `${ratio(ours.rps, theirs.rps)} (${ratio(ours.p50Ms, theirs.p50Ms)}; ${ratio(ours.cpuMsPerRequest, theirs.cpuMsPerRequest)})`;
    });
    lines.push(`| ${workload.name} | ${cells.join(' | ')} |`);
  }
  return lines;
}

/** Private: calls per request per source, as `c+p+i+r`. */
function calls(perSource: Record<SourceName, number>): string {
  return SOURCE_NAMES.map((name) => {
    const value = perSource[name];
    return Number.isInteger(value) ? String(value) : value.toFixed(2);
  }).join('+');
}
