/**
 * When to try an upstream call again: exponential backoff with full jitter (the wait is drawn
 * between 0 and the doubled ceiling, so that callers who failed together do not come back together),
 * and the provider's own `Retry-After`, which wins when it asks for longer.
 *
 *   backoffMs(2, 100, 5000);                  // between 0 and 400
 *   retryAfterMs('3');                        // 3000
 *   retryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT', Date.now());
 */

/** The wait before retry number `attempt + 1` (`attempt` counts from 0). */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

/** A `Retry-After` header (delay-seconds or an HTTP date, RFC 9110 §10.2.3) in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
