/**
 * The HTTP grammar the configuration checks names against, and the check of an operator's bearer token.
 *
 *   isHeaderName('x-api-key');   // true
 *   isHeaderName('x api key');   // false
 *   carriesToken(request.headers.get('authorization'), process.env.METRICS_TOKEN);
 */
import { timingSafeEqual } from 'node:crypto';

/** An HTTP header field name: a `token` of RFC 9110. */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}

/** Whether an `Authorization` header is `Bearer <token>`, compared in constant time. */
export function carriesToken(authorization: string | null, token: string): boolean {
  const given = Buffer.from(authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
