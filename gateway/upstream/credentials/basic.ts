/**
 * HTTP Basic authentication (RFC 7617): the user name and password, UTF-8, base64, on every call.
 *
 *   basicCredential({ username: 'shop', password: process.env.LEDGER_PASSWORD });
 */
import type { Credential } from './index.js';

export function basicCredential({ username, password }: { username: string; password: string }): Credential {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return {
    apply(attempt) {
      attempt.headers.set('authorization', value);
    },
  };
}
