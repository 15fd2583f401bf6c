/**
 * `npm run bench:mobile`: what Switchboard spares a phone, and what that costs the gateway, measured
 * in one run against the same gateway (as `npm start` runs it, on its own core):
 *
 * - bytes on the wire for W1 (a page of 100 products with stock, reviews and authors), plain, gzip, br;
 * - request bytes of an automatic persisted query (the hash alone) against the full document;
 * - the gateway's CPU per request and its throughput, with every request different (W1-vars), asked
 *   with `Accept-Encoding: br` and `gzip` against `identity` (no compression), in alternating runs;
 * - a product page whose reviews upstream takes 100 ms: the time to its first part with the reviews
 *   deferred (`@defer`) against the time to the whole answer without, each request for another
 *   product, alternating.
 *
 *   npm run bench:mobile                 # 3 runs of 6 s per encoding
 *   npm run bench:mobile -- --runs 1     # a quicker check
 */
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { DEMO_VARIABLES } from '../demo/launch.js';
import { clientRequests, loadTest } from './load.js';
import { cpuSeconds, median, pinSelf, settled, startPinned } from './processes.js';
import { describeMachine } from './report.js';
import { TARGETS } from './targets.js';
import { W1, WORKLOADS } from './workloads.js';

const flag = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = flag('--runs', 3);
const SECONDS = flag('--seconds', 6);
const CONNECTIONS = 50;
const ENCODINGS = ['identity', 'gzip', 'br'] as const;
const PAGES = flag('--pages', 40);
const REVIEWS_MS = 100;
const PAGE = (deferred: boolean) => `query($id: ID!) { product(id: $id) { id name price stock { total } ${deferred ? '... @defer { ' : ''}rating reviews { title rating author { name } }${deferred ? ' }' : ''} } }`;

pinSelf(0);
const upstreams = await startPinned<Record<string, string>>('bench/upstreams.ts', ['0'], { cpu: 0 });
const switchboard = await TARGETS.find((target) => target.name === 'switchboard')!.start({ ...DEMO_VARIABLES, ...upstreams.ready }, 1, []);
const url = switchboard.ready.url;

/** Private: the bytes of one answer as they come over the socket, undecoded. */
function bytesOf(body: string, encoding: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': encoding } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length)).on('end', () => resolve(bytes));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** Private: ms to an answer's first part (its whole when it comes in one) and to its end. */
function timed(body: string): Promise<{ firstMs: number; lastMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstMs: number | undefined;
    let text = '';
    const headers = { 'content-type': 'application/json', accept: 'multipart/mixed, application/json' };
    const outgoing = httpRequest(url, { method: 'POST', headers }, (response) => {
      const inParts = String(response.headers['content-type']).startsWith('multipart/mixed');
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        // A part is whole when the boundary after its JSON has come.
        const body = text.indexOf('\r\n\r\n');
        if (firstMs === undefined && inParts && body >= 0 && text.indexOf('\r\n---', body) >= 0) firstMs = performance.now() - started;
      });
      response.on('end', () => {
        const lastMs = performance.now() - started;
        resolve({ firstMs: firstMs ?? lastMs, lastMs });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

try {
  const page = JSON.stringify({ query: W1.request(0).query });
  const wire = Object.fromEntries(await Promise.all(ENCODINGS.map(async (encoding) => [encoding, await bytesOf(page, encoding)] as const)));
  const document = W1.request(0).query;
  const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(document).digest('hex') };
  const fullRequest = Buffer.byteLength(JSON.stringify({ query: document, extensions: { persistedQuery } }));
  const hashRequest = Buffer.byteLength(JSON.stringify({ extensions: { persistedQuery } }));

  const workload = WORKLOADS.find((candidate) => candidate.name === 'W1-vars')!;
  const send = await clientRequests(workload);
  const sendIn = (encoding: string) => () => {
    const request = send();
    return { ...request, headers: { ...request.headers, 'accept-encoding': encoding } };
  };
  for (const encoding of ENCODINGS) await loadTest({ url, send: sendIn(encoding), connections: CONNECTIONS, seconds: 2 });
  const measured: Record<string, { perSecond: number[]; cpuMicros: number[] }> = Object.fromEntries(ENCODINGS.map((encoding) => [encoding, { perSecond: [], cpuMicros: [] }]));
  for (let run = 0; run < RUNS; run++) {
    for (const encoding of ENCODINGS) {
      await settled(switchboard.pid);
      const before = cpuSeconds(switchboard.pid);
      const result = await loadTest({ url, send: sendIn(encoding), connections: CONNECTIONS, seconds: SECONDS });
      if (result.failed > 0) throw new Error(`${result.failed} requests failed with Accept-Encoding: ${encoding}`);
      measured[encoding]!.perSecond.push(result.ok / result.seconds);
      measured[encoding]!.cpuMicros.push(((cpuSeconds(switchboard.pid) - before) * 1e6) / result.ok);
    }
  }
  const base = { perSecond: median(measured.identity!.perSecond), cpu: median(measured.identity!.cpuMicros) };

  // The reviews upstream slow; each page another product (none is answered from a cache), alternating.
  const faults = await fetch(`${upstreams.ready.REVIEWS_BASE_URL}/_admin/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'latency', ms: REVIEWS_MS }) });
  if (!faults.ok) throw new Error(`The reviews upstream took no latency: ${faults.status}`);
  const pages = { whole: [] as number[], first: [] as number[], last: [] as number[] };
  for (let index = 0; index < PAGES; index++) {
    const id = (n: number) => `prod-${String(n).padStart(4, '0')}`;
    const plain = await timed(JSON.stringify({ query: PAGE(false), variables: { id: id(2 * index + 1) } }));
    const deferred = await timed(JSON.stringify({ query: PAGE(true), variables: { id: id(2 * index + 2) } }));
    if (deferred.firstMs >= deferred.lastMs) throw new Error('The deferred page came in one part.');
    pages.whole.push(plain.lastMs);
    pages.first.push(deferred.firstMs);
    pages.last.push(deferred.lastMs);
  }
  const whole = median(pages.whole);
  const lines = [
    `# Mobile clients: bytes and their cost (${describeMachine()})`,
    '',
    `W1 (a page of 100 products, every stitched field), one answer: ${wire.identity} bytes plain, ${wire.gzip} gzip (${(wire.gzip! / wire.identity!).toFixed(3)}×), ${wire.br} br (${(wire.br! / wire.identity!).toFixed(3)}×).`,
    `Its request with an automatic persisted query: ${hashRequest} bytes for the hash alone against ${fullRequest} with the document (${(hashRequest / fullRequest).toFixed(3)}×).`,
    '',
    `W1-vars (every request different), ${CONNECTIONS} connections, median of ${RUNS} runs of ${SECONDS} s, in alternating runs on one gateway:`,
    '',
    '| Accept-Encoding | requests/s | × identity | gateway CPU µs/request | × identity |',
    '|---|---:|---:|---:|---:|',
    ...ENCODINGS.map((encoding) => {
      const perSecond = median(measured[encoding]!.perSecond);
      const cpu = median(measured[encoding]!.cpuMicros);
      return `| ${encoding} | ${perSecond.toFixed(0)} | ${(perSecond / base.perSecond).toFixed(2)} | ${cpu.toFixed(0)} | ${(cpu / base.cpu).toFixed(2)} |`;
    }),
    '',
    `A product page with stock, reviews and their authors, the reviews upstream taking ${REVIEWS_MS} ms, median of ${PAGES} pages each (every one another product), alternating:`,
    '',
    '| the page | first part, ms | × whole answer | last part, ms | × whole answer |',
    '|---|---:|---:|---:|---:|',
    `| without @defer (one answer) | ${whole.toFixed(1)} | 1.00 | ${whole.toFixed(1)} | 1.00 |`,
    `| reviews deferred (@defer) | ${median(pages.first).toFixed(1)} | ${(median(pages.first) / whole).toFixed(3)} | ${median(pages.last).toFixed(1)} | ${(median(pages.last) / whole).toFixed(2)} |`,
  ];
  console.log(lines.join('\n'));
} finally {
  await switchboard.stop();
  await upstreams.stop();
}
