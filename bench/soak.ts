/**
 * `npm run bench:soak`: Switchboard (as `npm start` runs it) for 2 minutes under W1 written with
 * its values in the document, every document distinct (clients that send no variables: anything
 * kept per document would grow here), its resident memory sampled every second. Memory is flat when
 * the second minute's trend, fitted by least squares, grows less than 5% of its mean per minute.
 * Writes bench/soak.md and prints it.
 *
 *   npm run bench:soak                       # 120 s of W1-literal
 *   npm run bench:soak -- --seconds 30       # a shorter check
 *   npm run bench:soak -- --workload W1      # one query repeated
 */
import { writeFileSync } from 'node:fs';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { clientRequests, loadTest } from './load.js';
import { pinSelf, ROOT, sampleRss, startPinned } from './processes.js';
import { describeMachine } from './report.js';
import { TARGETS } from './targets.js';
import { WORKLOADS } from './workloads.js';

const LOAD_CPU = 0;
const SERVER_CPU = 1;
const CONNECTIONS = 50;
const FLAT_GROWTH_PER_MINUTE = 0.05;

const flag = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const seconds = Number(flag('--seconds') ?? 120);
const workloadName = flag('--workload') ?? 'W1-literal';
const workload = WORKLOADS.find((candidate) => candidate.name === workloadName);
if (!workload) throw new Error(`Unknown workload ${JSON.stringify(workloadName)}; choose from ${WORKLOADS.map((w) => w.name).join(', ')}.`);

pinSelf(LOAD_CPU);
const upstreams = await startPinned<Record<string, string>>('bench/upstreams.ts', ['0'], { cpu: LOAD_CPU });
const switchboard = await TARGETS.find((target) => target.name === 'switchboard')!.start({ ...DEMO_VARIABLES, ...upstreams.ready }, SERVER_CPU, []);
try {
  const rss = sampleRss(switchboard.pid, 1000);
  const result = await loadTest({ url: switchboard.ready.url, send: await clientRequests(workload), connections: CONNECTIONS, seconds });
  const samples = rss.stop();
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const mean = secondHalf.reduce((sum, value) => sum + value, 0) / secondHalf.length;
  const perMinute = slope(secondHalf) * 60;
  const flat = perMinute < FLAT_GROWTH_PER_MINUTE * mean;
  const at = (second: number) => samples[Math.min(second, samples.length - 1)]!.toFixed(0);
  const report = [
    '# Switchboard soak',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:soak\`: ${workload.name} (${workload.description}) for ${seconds} s with ${CONNECTIONS} connections, `
      + 'gateway on core 1, load and upstreams (no added latency) on core 0; resident memory sampled every second.',
    '',
    '```',
    describeMachine(),
    '```',
    '',
    '| answered | failed | req/s | RSS at 10 s | at half-time | at the end | peak | trend over the second half |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    `| ${result.ok} | ${result.failed} | ${(result.ok / result.seconds).toFixed(0)} | ${at(10)} MB | ${at(Math.floor(seconds / 2))} MB | `
      + `${at(seconds)} MB | ${Math.max(...samples).toFixed(0)} MB | ${perMinute >= 0 ? '+' : ''}${perMinute.toFixed(1)} MB/min: ${flat ? 'flat' : 'GROWING'} |`,
    '',
  ].join('\n');
  console.log(report);
  writeFileSync(`${ROOT}bench/soak.md`, report);
  console.log('Written to bench/soak.md');
  if (!flat || result.failed > 0) process.exitCode = 1;
} finally {
  await switchboard.stop();
  await upstreams.stop();
}

/** Private: the least-squares slope of samples taken once a second, in MB per second. */
function slope(values: number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, value) => sum + value, 0) / n;
  let numerator = 0;
  let denominator = 0;
  values.forEach((value, x) => {
    numerator += (x - meanX) * (value - meanY);
    denominator += (x - meanX) ** 2;
  });
  return denominator ? numerator / denominator : 0;
}
