/**
 * The HTTP grammar the configuration checks names against.
 *
 *   isHeaderName('x-api-key');   // true
 *   isHeaderName('x api key');   // false
 */

/** An HTTP header field name: a `token` of RFC 9110. */
export function isHeaderName(name: string): boolean {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name);
}
