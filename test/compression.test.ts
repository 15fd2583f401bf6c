/**
 * Compressed answers (issue 24): gzip, brotli and deflate by `Accept-Encoding` and its q-values, for
 * whole answers above the threshold and for streams part by part, each event flushed as it is
 * written. Read by the clients that decode them (curl --compressed, Node's fetch) and byte by byte.
 */
import { execFile } from 'node:child_process';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { brotliDecompressSync, createGunzip, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook as signPayload } from '../demo/world/index.js';
import { DEMO_CREDENTIALS } from '../demo/world/config.js';
import { startTestSwitchboard, type TestSwitchboard } from './helpers/switchboard.js';

let switchboard: TestSwitchboard;
beforeAll(async () => {
  switchboard = await startTestSwitchboard();
}, 60_000);
afterAll(() => switchboard?.close());

/** A page of 100 products, as the front page asks it. */
const PAGE = JSON.stringify({ query: '{ products(first: 100) { id name description price currency category } }' });

/** One POST over a raw socket: the status, the headers and the bytes as they came (nothing decoded). */
function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingMessage['headers']; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${switchboard.staffToken}`, ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ status: response.statusCode!, headers: response.headers, bytes: Buffer.concat(chunks) }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

describe('a whole answer', () => {
  let plain: Buffer;
  beforeAll(async () => {
    const answer = await post(switchboard.url, PAGE, { 'accept-encoding': 'identity' });
    expect([answer.status, answer.headers['content-encoding']]).toEqual([200, undefined]);
    plain = answer.bytes;
  });

  it.each([
    ['br', brotliDecompressSync],
    ['gzip', gunzipSync],
    ['deflate', inflateSync],
  ] as const)('in %s decodes to the plain answer byte for byte, a fraction of its size', async (encoding, decode) => {
    const answer = await post(switchboard.url, PAGE, { 'accept-encoding': encoding });
    expect([answer.status, answer.headers['content-encoding'], answer.headers.vary]).toEqual([200, encoding, 'accept, authorization, accept-encoding']);
    expect(Number(answer.headers['content-length'])).toBe(answer.bytes.length);
    expect(decode(answer.bytes).equals(plain)).toBe(true);
    expect(answer.bytes.length).toBeLessThan(plain.length / 4);
  });

  it('reads the same through the clients that decode it: curl --compressed, and Node\'s fetch', async () => {
    const { stdout } = await promisify(execFile)('curl', ['-s', '--compressed', '-X', 'POST', '-H', 'content-type: application/json', '-H', `authorization: Bearer ${switchboard.staffToken}`, '--data', PAGE, switchboard.url], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 });
    expect(stdout.equals(plain)).toBe(true);
    for (const encoding of ['br', 'gzip']) {
      const response = await fetch(switchboard.url, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-encoding': encoding, authorization: `Bearer ${switchboard.staffToken}` }, body: PAGE });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(Buffer.from(await response.arrayBuffer()).equals(plain)).toBe(true);
    }
  });

  it('follows the client\'s q-values, brotli first on a tie, and sends a small answer as it is', async () => {
    const encodingFor = async (header: string) => (await post(switchboard.url, PAGE, { 'accept-encoding': header })).headers['content-encoding'] ?? 'identity';
    expect(await encodingFor('gzip;q=0.5, br;q=0.9')).toBe('br');
    expect(await encodingFor('br;q=0, gzip')).toBe('gzip');
    expect(await encodingFor('gzip, deflate, br')).toBe('br');
    expect(await encodingFor('*;q=0.2, br;q=0.1')).toBe('gzip');
    expect(await encodingFor('identity, gzip;q=0.5')).toBe('identity');
    expect(await encodingFor('compress, x-nonsense')).toBe('identity');
    const small = await post(switchboard.url, JSON.stringify({ query: '{ product(id: "prod-0001") { id } }' }), { 'accept-encoding': 'br' });
    expect([small.headers['content-encoding'], small.headers.vary, small.bytes.toString()]).toEqual([undefined, 'accept, authorization, accept-encoding', '{"data":{"product":{"id":"prod-0001"}}}']);
  });

  it('refuses, before running anything, an Accept-Encoding that allows nothing or says nothing it means', async () => {
    await switchboard.resetLogs();
    const nothing = await post(switchboard.url, PAGE, { 'accept-encoding': 'identity;q=0' });
    expect([nothing.status, JSON.parse(nothing.bytes.toString())]).toEqual([406, { errors: [{ message: 'Accept-Encoding allows no encoding Switchboard sends: it sends br, gzip, deflate or identity.', extensions: { code: 'NOT_ACCEPTABLE' } }] }]);
    const weight = await post(switchboard.url, PAGE, { 'accept-encoding': 'gzip;q=lots' });
    expect([weight.status, JSON.parse(weight.bytes.toString())]).toEqual([400, { errors: [{ message: 'Accept-Encoding has a weight that is not one ("gzip;q=lots"): write q=0 to q=1, as in "br, gzip;q=0.8".', extensions: { code: 'BAD_REQUEST' } }] }]);
    expect(Object.values(await switchboard.requests()).flat()).toEqual([]);
  });

  it('names the encoding in the ETag, and answers 304 to it with that ETag', async () => {
    const first = await post(switchboard.url, PAGE, { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[^"]+-br"$/);
    const again = await post(switchboard.url, PAGE, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect([again.status, again.bytes.length, again.headers.etag, again.headers['content-encoding']]).toEqual([304, 0, etag, undefined]);
    const plainTag = String((await post(switchboard.url, PAGE, { 'accept-encoding': 'identity' })).headers.etag);
    expect(etag).toBe(`${plainTag.slice(0, -1)}-br"`);
    // A client that has the br answer and asks in gzip has another representation: it gets the gzip one.
    const gzip = await post(switchboard.url, PAGE, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect([gzip.status, gzip.headers.etag, gzip.headers['content-encoding']]).toEqual([200, `${plainTag.slice(0, -1)}-gzip"`, 'gzip']);
  });
});

describe('a stream', () => {
  it('is compressed and still delivered event by event', async () => {
    const decoded: string[] = [];
    const opened = performance.now();
    let firstEventMs = 0;
    const outgoing = httpRequest(switchboard.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'gzip', authorization: `Bearer ${switchboard.staffToken}` },
    });
    const response = await new Promise<IncomingMessage>((resolve) => {
      outgoing.on('response', resolve);
      outgoing.end(JSON.stringify({ query: 'subscription { paymentEvents { id } }' }));
    });
    expect([response.statusCode, response.headers['content-encoding'], response.headers['content-type']]).toEqual([200, 'gzip', 'text/event-stream']);
    response.pipe(createGunzip()).on('data', (chunk: Buffer) => decoded.push(chunk.toString()));
    const seen = async (id: string) => {
      const deadline = Date.now() + 5000;
      while (!decoded.join('').includes(`"id":"${id}"`)) {
        if (Date.now() > deadline) throw new Error(`${id} did not arrive; the stream held: ${decoded.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const deliver = async (id: string) => {
      const body = JSON.stringify({ id, type: 'payment.succeeded', occurredAt: '2026-11-24T10:00:00Z', data: { payment: { id: 'pay_c', orderId: 'ord-0001', amount: 10, currency: 'EUR', status: 'SUCCEEDED', method: 'CARD' } } });
      const answer = await fetch(`${switchboard.origin}/webhooks/payments`, { method: 'POST', headers: { 'content-type': 'application/json', 'switchboard-signature': signPayload(DEMO_CREDENTIALS.paymentsWebhookSecret, body) }, body });
      expect(answer.status).toBe(200);
    };
    await deliver('evt_gz_1');
    await seen('evt_gz_1');
    firstEventMs = performance.now() - opened;
    // The second is not there before it is delivered, and arrives alone once it is.
    expect(decoded.join('')).not.toContain('evt_gz_2');
    await deliver('evt_gz_2');
    await seen('evt_gz_2');
    outgoing.destroy();
    expect(firstEventMs).toBeGreaterThan(0);
  });
});
