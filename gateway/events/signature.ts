/**
 * Checking a webhook delivery's signature, in the scheme its source declares (gateway/config/webhooks.ts),
 * every one an HMAC-SHA256 with the source's secret, compared in constant time:
 * - `stripe`: `t=<unix seconds>,v1=<hex>` over `<t>.<raw body>`. Several `v1` values may be sent (a
 *   sender rotating its secret signs with both); one that matches is enough. A timestamp further than
 *   the tolerance from now is refused, so a captured delivery cannot be replayed later.
 * - `github`: `sha256=<hex>` over the raw body.
 * - `hmac`: the digest alone over the raw body, in hex or base64 (Shopify's, and many others').
 *
 *   verifySignature({ scheme: 'github', header: 'x-hub-signature-256', encoding: 'hex' }, request.headers, body, secret);
 *   // { ok: true } or { ok: false, reason: 'the signature does not match the body' }
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SignatureScheme } from '../config/webhooks.js';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type Verdict = { ok: true } | { ok: false; reason: string };

export interface VerifyOptions {
  toleranceSeconds?: number;
  /** Unix seconds. */
  now?: () => number;
}

const FORMATS: Record<SignatureScheme['scheme'], string> = {
  stripe: 't=<unix seconds>,v1=<hex HMAC-SHA256>',
  github: 'sha256=<hex HMAC-SHA256>',
  hmac: '<HMAC-SHA256>',
};

export function verifySignature(scheme: SignatureScheme, headers: Headers, body: Buffer, secret: string, options: VerifyOptions = {}): Verdict {
  const header = headers.get(scheme.header);
  if (!header) return { ok: false, reason: `the ${scheme.header} header is missing` };
  const malformed: Verdict = { ok: false, reason: `the ${scheme.header} header must read ${scheme.scheme === 'hmac' ? `the ${scheme.encoding} HMAC-SHA256 of the body` : FORMATS[scheme.scheme]}` };
  const hmac = (...parts: (string | Buffer)[]) => parts.reduce((mac, part) => mac.update(part), createHmac('sha256', secret)).digest();
  const matches = (presented: Buffer[], expected: Buffer) => presented.some((one) => one.length === expected.length && timingSafeEqual(one, expected));
  const mismatch: Verdict = { ok: false, reason: 'the signature does not match the body' };
  switch (scheme.scheme) {
    case 'stripe': {
      const parts = header.split(',').map((part) => part.trim().split('='));
      const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value ?? '');
      const signatures = parts.filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/i.test(value ?? '')).map(([, value]) => Buffer.from(value!, 'hex'));
      if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0]!) || signatures.length === 0) return malformed;
      const timestamp = Number(timestamps[0]);
      const now = options.now?.() ?? Math.floor(Date.now() / 1000);
      const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
      if (Math.abs(now - timestamp) > tolerance) {
        return { ok: false, reason: `the signature's timestamp is ${now - timestamp} s away from now, more than the ${tolerance} s allowed` };
      }
      return matches(signatures, hmac(`${timestamp}.`, body)) ? { ok: true } : mismatch;
    }
    case 'github': {
      const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
      if (!match) return malformed;
      return matches([Buffer.from(match[1]!, 'hex')], hmac(body)) ? { ok: true } : mismatch;
    }
    case 'hmac': {
      const value = header.trim();
      const valid = scheme.encoding === 'hex' ? /^[0-9a-f]{64}$/i.test(value) : /^[A-Za-z0-9+/]{43}=$/.test(value);
      if (!valid) return malformed;
      return matches([Buffer.from(value, scheme.encoding)], hmac(body)) ? { ok: true } : mismatch;
    }
  }
}
