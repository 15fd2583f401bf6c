/**
 * `npm run bench`: Switchboard and its baselines over the same demo upstreams, in one run, on this
 * machine, reported as ratios. The server under test runs on core 1; the load generator (autocannon,
 * in this process) and the upstreams on core 0. Each workload is measured `runs` times per target,
 * interleaved, after a warm-up, on servers started afresh for each workload; the median is quoted.
 * Results go to bench/results.md and stdout.
 *
 *   npm run bench                                  # the full table (about 45 minutes)
 *   npm run bench -- --quick                       # one short run, to check a change
 *   npm run bench -- --workloads W1 --targets switchboard,aggregator --latency 0
 *   npm run bench -- --quick --targets switchboard --profile /tmp/prof   # then: npx tsx bench/profile.ts /tmp/prof/switchboard-0ms-W1/<file>
 *   npm run bench -- --quick --workloads W1-vars --targets switchboard --allocations /tmp/alloc   # then: npx tsx bench/profile.ts /tmp/alloc/switchboard-0ms-W1-vars/*.heapprofile
 *   npm run bench -- --quick --targets switchboard --node-options "--max-old-space-size=160"
 *   cp -r .mesh .bench-before; <change, npm run build>; BENCH_BEFORE=.bench-before npm run bench -- --quick --targets switchboard,before
 */
import { deepStrictEqual } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { DEMO_SERVICE_NAMES as SOURCE_NAMES, type DemoServiceName as SourceName } from '../demo/world/index.js';
import { measureColdStart, type ColdStart } from './cold-start.js';
import { clientRequests, httpRequests, loadTest, type HttpRequest } from './load.js';
import { cpuSeconds, median, pinSelf, ROOT, sampleRss, settled, startPinned, type Pinned } from './processes.js';
import { describeMachine, renderReport, type Measurement } from './report.js';
import { DEFAULT_TARGETS, TARGETS, type Target } from './targets.js';
import { WORKLOADS, type Workload } from './workloads.js';

interface Options {
  latencies: number[];
  workloads: Workload[];
  targets: Target[];
  runs: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Node.js options for every server under test (`--node-options "--max-old-space-size=160"`). */
  nodeOptions: string[];
  /** Folder for V8 CPU profiles of the servers under test (`--profile <dir>`), written when they stop. */
  profileDir?: string;
  /** Folder for allocation profiles of the servers under test (`--allocations <dir>`, bench/allocation-sampler.mjs). */
  allocationsDir?: string;
}

const LOAD_CPU = 0;
const SERVER_CPU = 1;

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const index = argv.indexOf(flag);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const list = (flag: string) => value(flag)?.split(',').map((item) => item.trim()).filter(Boolean);
  const quick = argv.includes('--quick');
  const pick = <T extends { name: string }>(all: readonly T[], names: string[] | undefined, what: string, defaults: readonly T[] = all): T[] => {
    if (!names) return [...defaults];
    return names.map((name) => {
      const found = all.find((item) => item.name === name);
      if (!found) throw new Error(`Unknown ${what} ${JSON.stringify(name)}; choose from ${all.map((item) => item.name).join(', ')}.`);
      return found;
    });
  };
  return {
    latencies: list('--latency')?.map(Number) ?? (quick ? [0] : [0, 5]),
    workloads: pick(WORKLOADS, list('--workloads'), 'workload'),
    targets: pick(TARGETS, list('--targets'), 'target', DEFAULT_TARGETS),
    runs: Number(value('--runs') ?? (quick ? 1 : 3)),
    seconds: Number(value('--seconds') ?? (quick ? 4 : 10)),
    warmupSeconds: Number(value('--warmup') ?? (quick ? 2 : 3)),
    connections: Number(value('--connections') ?? 50),
    profileDir: value('--profile'),
    allocationsDir: value('--allocations'),
    nodeOptions: value('--node-options')?.split(/\s+/).filter(Boolean) ?? [],
  };
}

type UpstreamVariables = Record<string, string>;

/** Why a target was left out of a workload, once per target and workload, for the report. */
const leftOut = new Set<string>();

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  pinSelf(LOAD_CPU);
  const measurements: Measurement[] = [];
  let coldStart: ColdStart | undefined;
  for (const latencyMs of options.latencies) {
    const upstreams = await startPinned<UpstreamVariables>('bench/upstreams.ts', [String(latencyMs)], { cpu: LOAD_CPU });
    // The upstreams' answers already given, as spaces of a varied workload asked through each target.
    const primed = new Set<string>();
    let running: { target: Target; process: Pinned<{ url: string }> }[] = [];
    try {
      if (!coldStart && options.targets.some((target) => target.name === 'switchboard')) {
        coldStart = await measureColdStart(upstreams.ready, { cpu: SERVER_CPU, runs: 3 });
        console.log(`  cold start: ${coldStart.runs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      }
      for (const workload of options.workloads) {
        // Fresh servers for each workload: a heap grown by the one before would count in this one's peak RSS.
        await Promise.all(running.map(({ process }) => process.stop()));
        running = [];
        for (const target of options.targets) {
          const run = `${target.name}-${latencyMs}ms-${workload.name}`;
          const nodeOptions = [
            ...options.nodeOptions,
            ...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}/${run}`] : []),
            ...(options.allocationsDir ? ['--import', `${ROOT}bench/allocation-sampler.mjs`] : []),
          ];
          const env = { ...DEMO_VARIABLES, ...upstreams.ready, ...(options.allocationsDir ? { ALLOCATION_PROFILE_DIR: `${options.allocationsDir}/${run}` } : {}) };
          running.push({ target, process: await target.start(env, SERVER_CPU, nodeOptions) });
        }
        const serving = await checkAnswers(workload, running);
        await prime(workload, serving, primed);
        const runs = new Map<string, Measurement[]>();
        const senders = new Map(await Promise.all(serving.map(async ({ target }) => [target.name, await clientRequests(workload, target.rename)] as const)));
        for (let run = 0; run < options.runs; run += 1) {
          for (const { target, process } of serving) {
            const measured = await measure(target, process, workload, senders.get(target.name)!, upstreams.ready, upstreams.pid, latencyMs, options);
            runs.set(target.name, [...(runs.get(target.name) ?? []), measured]);
            console.log(`  ${latencyMs} ms ${workload.name.padEnd(8)} ${target.name.padEnd(12)} run ${run + 1}: `
              + `${measured.rps.toFixed(0)} req/s, p50 ${measured.p50Ms} ms, p99 ${measured.p99Ms} ms, `
              + `CPU ${measured.cpuPercent.toFixed(0)}% (upstreams ${measured.upstreamCpuPercent.toFixed(0)}%)`);
          }
        }
        for (const perTarget of runs.values()) measurements.push(medianOf(perTarget));
      }
    } finally {
      await Promise.all(running.map(({ process }) => process.stop()));
      await upstreams.stop();
    }
  }
  const report = renderReport(measurements, options.workloads, options.targets, describeMachine(), { ...options, coldStart, leftOut: [...leftOut] });
  console.log(`\n${report}`);
  if (!process.argv.includes('--no-write')) {
    writeFileSync(`${ROOT}bench/results.md`, report);
    console.log('Written to bench/results.md');
  }
}

/**
 * Private: asks each target every value of the workload's spaces it has not been asked yet, so that
 * the upstreams have computed every answer (they replay them, bench/upstreams.ts) before anyone is
 * measured: otherwise the first target measured pays for the upstreams' first answers (a cold W3-vars
 * run answered a quarter of what a warm one did). Targets that make the same upstream calls share the
 * answers; each is asked all the same, as it is cheap once the upstreams are warm.
 */
async function prime(workload: Workload, serving: { target: Target; process: Pinned<{ url: string }> }[], primed: Set<string>): Promise<void> {
  for (const space of workload.priming ?? []) {
    for (const { target, process } of serving) {
      const key = `${target.name}\n${space.space}`;
      if (primed.has(key)) continue;
      primed.add(key);
      const toHttp = await httpRequests(target.rename);
      const requests = space.requests().map(toHttp);
      let next = 0;
      const started = Date.now();
      const result = await loadTest({ url: process.ready.url, send: () => requests[next++ % requests.length]!, connections: 16, amount: requests.length });
      console.log(`  primed the upstreams with ${requests.length} ${space.space} through ${target.name} in ${((Date.now() - started) / 1000).toFixed(1)} s${result.failed ? ` (${result.failed} failed)` : ''}`);
    }
  }
}

/** How many of a workload's first requests every target is asked before it is measured. */
const CHECKED_REQUESTS = 20;

/**
 * Private: asks every target the workload's first requests and compares its data with Switchboard's;
 * a target that answers differently is left out of that workload's measurement, with the reason printed.
 */
async function checkAnswers(workload: Workload, running: { target: Target; process: Pinned<{ url: string }> }[]) {
  const serving = running.filter(({ target }) => {
    if (target.serves(workload)) return true;
    console.log(`  ${workload.name}: ${target.title} cannot serve this workload (see bench/targets.ts).`);
    leftOut.add(`${workload.name}, \`${target.name}\`: not measured (see bench/targets.ts).`);
    return false;
  });
  const answers = await Promise.all(serving.map(async ({ target, process }) => {
    const send = await clientRequests(workload, target.rename);
    const data: unknown[] = [];
    for (let n = 0; n < (workload.kind === 'varied' ? CHECKED_REQUESTS : 1); n += 1) {
      const { body, headers } = send();
      const response = await postOnce(process.ready.url, headers, body);
      const text = response.text;
      let answer: { data?: unknown; errors?: unknown };
      try {
        answer = JSON.parse(text) as typeof answer;
      } catch {
        return new Error(`request ${n}: HTTP ${response.status}, not JSON: ${text.slice(0, 300)}`);
      }
      if (response.status !== 200 || answer.errors) return new Error(`request ${n}: HTTP ${response.status}: ${JSON.stringify(answer).slice(0, 300)}`);
      data.push(target.normalize?.(answer.data) ?? answer.data);
    }
    return data;
  }));
  const reference = answers[0];
  return serving.filter(({ target }, index) => {
    const answer = answers[index]!;
    try {
      if (answer instanceof Error) throw answer;
      deepStrictEqual(answer, reference);
      return true;
    } catch (error) {
      console.log(`  ${workload.name}: ${target.title} answered differently from Switchboard; left out. ${(error as Error).message.slice(0, 400)}`);
      leftOut.add(`${workload.name}, \`${target.name}\`: left out, its answer differs from Switchboard's: ${(error as Error).message.slice(0, 160).replace(/\s+/g, ' ')}…`);
      return false;
    }
  });
}

/**
 * Private: one POST on a connection of its own. Connections kept alive from a check before the load
 * can be closed by the server or answered 408 by the time the next workload's check reuses them.
 */
function postOnce(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

/**
 * Private: one warm-up and one measured run of `workload` against one target; `send` goes on through
 * the workload's requests from run to run, so that a varied workload never repeats a request.
 */
async function measure(
  target: Target,
  process: Pinned<{ url: string }>,
  workload: Workload,
  send: () => HttpRequest,
  upstreams: UpstreamVariables,
  upstreamPid: number,
  latencyMs: number,
  options: Options,
): Promise<Measurement> {
  await loadTest({ url: process.ready.url, send, connections: options.connections, seconds: options.warmupSeconds });
  // Requests still queued from the warm-up must not be counted, nor take the CPU of the measured run.
  await settled(process.pid);
  const cpuBefore = cpuSeconds(process.pid);
  const upstreamCpuBefore = cpuSeconds(upstreamPid);
  const rss = sampleRss(process.pid);
  // Upstream calls per request are counted over the middle half of the run, in steady state, so
  // that requests in flight at its start and end count neither for calls nor for answers.
  let answeredSoFar = 0;
  const readCalls = () => Promise.all(SOURCE_NAMES.map(async (name) => {
    const log = (await (await fetch(`${upstreams[`${name.toUpperCase()}_BASE_URL`]}/_admin/requests`)).json()) as { count: number };
    return log.count;
  }));
  const checkpoint = (fraction: number) => new Promise<{ answered: number; calls: number[] }>((resolve) => {
    setTimeout(() => {
      const answered = answeredSoFar;
      void readCalls().then((calls) => resolve({ answered, calls }));
    }, fraction * options.seconds * 1000);
  });
  const running = loadTest({ url: process.ready.url, send, connections: options.connections, seconds: options.seconds, onOk: () => (answeredSoFar += 1) });
  const [from, to, result] = await Promise.all([checkpoint(0.25), checkpoint(0.75), running]);
  const rssSamples = rss.stop();
  const cpu = cpuSeconds(process.pid) - cpuBefore;
  const upstreamCpu = cpuSeconds(upstreamPid) - upstreamCpuBefore;
  // What the server still owes after the load stopped is done before the next target's run.
  await settled(process.pid);
  const windowAnswered = Math.max(to.answered - from.answered, 1);
  const counts = SOURCE_NAMES.map((name, index) => [name, to.calls[index]! - from.calls[index]!] as const);
  const answered = Math.max(result.ok, 1);
  return {
    latencyMs,
    workload: workload.name,
    target: target.name,
    rps: result.ok / result.seconds,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
    failed: result.failed,
    callsPerRequest: Object.fromEntries(counts.map(([name, count]) => [name, count / windowAnswered])) as Record<SourceName, number>,
    peakRssMb: Math.max(...rssSamples),
    cpuPercent: (100 * cpu) / result.seconds,
    cpuMsPerRequest: (1000 * cpu) / answered,
    upstreamCpuPercent: (100 * upstreamCpu) / result.seconds,
  };
}

/** Private: the median of each figure over the runs; peak RSS is the highest seen. */
function medianOf(runs: Measurement[]): Measurement {
  const first = runs[0]!;
  const of = (pick: (m: Measurement) => number) => median(runs.map(pick));
  return {
    ...first,
    rps: of((m) => m.rps),
    p50Ms: of((m) => m.p50Ms),
    p99Ms: of((m) => m.p99Ms),
    failed: runs.reduce((sum, m) => sum + m.failed, 0),
    callsPerRequest: Object.fromEntries(SOURCE_NAMES.map((name) => [name, of((m) => m.callsPerRequest[name])])) as Record<SourceName, number>,
    peakRssMb: Math.max(...runs.map((m) => m.peakRssMb)),
    cpuPercent: of((m) => m.cpuPercent),
    cpuMsPerRequest: of((m) => m.cpuMsPerRequest),
    upstreamCpuPercent: of((m) => m.upstreamCpuPercent),
  };
}

main().catch((error: unknown) => {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  console.error(`The benchmark failed: ${error instanceof Error ? error.message : String(error)}${cause}`);
  process.exit(1);
});
