/**
 * Switchboard's webhook signature, the same for every source:
 * `Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the source's secret>`.
 * Several `v1` values may be sent (a sender rotating its secret signs with both); one that matches is
 * enough. A timestamp further than the tolerance from now is refused, so a captured delivery cannot
 * be replayed later.
 *
 *   const header = signPayload('whsec_demo', body);                 // what a sender sets
 *   verifySignature(header, body, 'whsec_demo');                    // { ok: true, timestamp }
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'switchboard-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type Verdict = { ok: true; timestamp: number } | { ok: false; reason: string };

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** Unix seconds. */
  now?: () => number;
}

/** The header value for `body`, signed with `secret` at `timestamp` (unix seconds, now by default). */
export function signPayload(secret: string, body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, body)}`;
}

export function verifySignature(header: string | null | undefined, body: Buffer, secret: string, options: VerifyOptions = {}): Verdict {
  if (!header) return { ok: false, reason: `the ${SIGNATURE_HEADER} header is missing` };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value ?? '');
  const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/i.test(value ?? '')).map(([, value]) => value!.toLowerCase());
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!) || signatures.length === 0) {
    return { ok: false, reason: `the ${SIGNATURE_HEADER} header must read t=<unix seconds>,v1=<hex HMAC-SHA256>` };
  }
  const timestamp = Number(timestamps[0]);
  const now = options.now?.() ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    return { ok: false, reason: `the signature's timestamp is ${now - timestamp} s away from now, more than the ${tolerance} s allowed` };
  }
  const expected = Buffer.from(digest(secret, timestamp, body), 'hex');
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { ok: true, timestamp } : { ok: false, reason: 'the signature does not match the body' };
}

/** Private: the hex HMAC-SHA256 of "<t>.<body>". */
function digest(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}
