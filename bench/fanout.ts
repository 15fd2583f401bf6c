/**
 * `npm run bench:fanout`: what each subscription transport costs the gateway per event delivered.
 * Switchboard runs as `npm start` runs it, on its own core; this process holds `SUBSCRIBERS`
 * subscribers on one transport at a time (graphql-ws, the graphql-sse protocol, yoga's own SSE), posts
 * `EVENTS` signed payments webhooks, and waits until every subscriber has every event. It reports,
 * per transport, deliveries per second and the gateway's CPU microseconds per delivery, as a ratio of
 * yoga's SSE measured in the same run (the entry with the least between yoga and the socket).
 *
 *   npm run bench:fanout                      # 50 subscribers, 400 events, 3 runs per transport
 *   npm run bench:fanout -- --runs 1          # a quicker check
 */
import { randomUUID } from 'node:crypto';
import { mintToken } from '../gateway/plugins/auth/tokens.js';
import { DEMO_TOKEN_SECRET, DEMO_VARIABLES } from '../demo/launch.js';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { DEMO_CREDENTIALS } from '../demo/world/index.js';
import { world } from '../test/helpers/expected.js';
import { subscribe, type Transport } from '../test/helpers/subscribers.js';
import { cpuSeconds, median, pinSelf, settled, startPinned } from './processes.js';
import { describeMachine } from './report.js';
import { TARGETS } from './targets.js';

const SUBSCRIBERS = 50;
const EVENTS = 400;
const POSTING = 8;
const TRANSPORTS: readonly Transport[] = ['yoga-sse', 'graphql-sse', 'graphql-ws'];
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag >= 0 ? Number(process.argv[runsFlag + 1]) : 3;

pinSelf(0);
const upstreams = await startPinned<Record<string, string>>('bench/upstreams.ts', ['0'], { cpu: 0 });
const switchboard = await TARGETS.find((target) => target.name === 'switchboard')!.start({ ...DEMO_VARIABLES, ...upstreams.ready }, 1, []);
const url = switchboard.ready.url;
const token = await mintToken({ secret: DEMO_TOKEN_SECRET, issuer: 'switchboard', audience: 'switchboard-api' }, { subject: 'bench', scope: 'staff' });
const payment = world.payments[0]!;

/** Private: one signed payments webhook, as the provider sends it. */
async function deliver(id: string): Promise<void> {
  const body = JSON.stringify({ id, type: 'payment.succeeded', occurredAt: '2026-12-06T10:00:00Z', data: { payment } });
  const response = await fetch(url.replace(/\/graphql$/, '/webhooks/payments'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'switchboard-signature': signPayload(DEMO_CREDENTIALS.paymentsWebhookSecret, body) },
    body,
  });
  if (response.status !== 200) throw new Error(`The gateway refused a webhook: ${response.status}`);
}

/** Private: one run: every subscriber gets every event; the time and the gateway's CPU it took. */
async function run(transport: Transport): Promise<{ deliveriesPerSecond: number; cpuMicrosPerDelivery: number }> {
  const subscribers = Array.from({ length: SUBSCRIBERS }, () => subscribe(transport, url, 'subscription { paymentEvents { id type } }', {}, token));
  // Warm-up events until every subscriber has one: then all are listening. What they got is dropped.
  for (let i = 0; i < 50 && subscribers.some((subscriber) => subscriber.buffered().length === 0); i++) {
    await deliver(`evt_${randomUUID()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await settled(switchboard.pid);
  for (const subscriber of subscribers) for (let left = subscriber.buffered().length; left > 0; left--) await subscriber.next();
  const ids = Array.from({ length: EVENTS }, () => `evt_${randomUUID()}`);
  const cpuBefore = cpuSeconds(switchboard.pid);
  const started = performance.now();
  const received = Promise.all(subscribers.map(async (subscriber) => {
    for (let i = 0; i < EVENTS; i++) await subscriber.next(30_000);
  }));
  for (let i = 0; i < EVENTS; i += POSTING) await Promise.all(ids.slice(i, i + POSTING).map(deliver));
  await received;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(switchboard.pid) - cpuBefore;
  for (const subscriber of subscribers) subscriber.close();
  await settled(switchboard.pid);
  const deliveries = SUBSCRIBERS * EVENTS;
  return { deliveriesPerSecond: deliveries / seconds, cpuMicrosPerDelivery: (cpu * 1e6) / deliveries };
}

try {
  const results = new Map<Transport, { deliveriesPerSecond: number; cpuMicrosPerDelivery: number }>();
  for (const transport of TRANSPORTS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run(transport));
    results.set(transport, {
      deliveriesPerSecond: median(runs.map((r) => r.deliveriesPerSecond)),
      cpuMicrosPerDelivery: median(runs.map((r) => r.cpuMicrosPerDelivery)),
    });
  }
  const base = results.get('yoga-sse')!;
  const rows = TRANSPORTS.map((transport) => {
    const { deliveriesPerSecond, cpuMicrosPerDelivery } = results.get(transport)!;
    return `| ${transport} | ${Math.round(deliveriesPerSecond)} | ${(deliveriesPerSecond / base.deliveriesPerSecond).toFixed(2)}× | ${cpuMicrosPerDelivery.toFixed(1)} | ${(cpuMicrosPerDelivery / base.cpuMicrosPerDelivery).toFixed(2)}× |`;
  });
  console.log([
    `${SUBSCRIBERS} subscribers, ${EVENTS} events, median of ${RUNS} runs.\n\n${describeMachine()}`,
    '',
    '| transport | deliveries/s | vs yoga SSE | gateway CPU µs per delivery | vs yoga SSE |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'));
} finally {
  await switchboard.stop();
  await upstreams.stop();
}
