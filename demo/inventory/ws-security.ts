/**
 * The WS-Security UsernameToken check of the demo warehouse ERP (OASIS UsernameToken Profile 1.0):
 * PasswordText, and PasswordDigest = base64(sha1(nonce + created + password)). A wrong or missing
 * token is a `wsse:FailedAuthentication` Fault, as WS-Security servers answer.
 *
 *   soapServer.authenticate = (security) => { verifyUsernameToken(security, { username, password }); return true; };
 */
import { passwordDigest } from 'soap';
import { safeEqual } from '../world/config.js';
import { soapFault } from './soap-faults.js';

export interface UsernameTokenCredentials {
  username: string;
  password: string;
}

const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';

/**
 * Throws a FailedAuthentication Fault unless `security` (the `wsse:Security` header as node-soap
 * parsed it) carries a UsernameToken with these credentials. This demo keeps no nonce cache, so a
 * replayed digest is accepted.
 */
export function verifyUsernameToken(security: unknown, expected: UsernameTokenCredentials): void {
  const token = (security as { UsernameToken?: Record<string, unknown> } | undefined)?.UsernameToken;
  const username = textOf(token?.Username);
  const password = textOf(token?.Password);
  const type = (token?.Password as { attributes?: { Type?: string } } | undefined)?.attributes?.Type;
  const expectedPassword = type === PASSWORD_DIGEST
    ? passwordDigest(textOf(token?.Nonce) ?? '', textOf(token?.Created) ?? '', expected.password)
    : expected.password;
  if (username === undefined || password === undefined || !safeEqual(username, expected.username) || !safeEqual(password, expectedPassword)) {
    throw soapFault('wsse:FailedAuthentication', 'The security token could not be authenticated or authorized');
  }
}

/** Private: the text of an element node-soap parsed either as a string or as `{ attributes, $value }`. */
function textOf(node: unknown): string | undefined {
  const value = typeof node === 'object' && node !== null ? (node as { $value?: unknown }).$value : node;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
