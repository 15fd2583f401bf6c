/**
 * WS-Security UsernameToken (OASIS WSS UsernameToken Profile 1.0/1.1) for SOAP sources, with the
 * password as text or as a digest (base64 of SHA-1 over a fresh nonce, the creation time and the
 * password). It goes into each attempt's envelope as the attempt leaves: the SOAP schema writes
 * envelopes without credentials, so a retried or shared call never carries a stale timestamp or a
 * spent nonce. node-soap writes the header element itself.
 *
 *   withUsernameToken('<soap:Envelope …><soap:Body>…', { username: 'switchboard', password: 'secret', passwordType: 'digest' });
 *   // '<soap:Envelope …><soap:Header><wsse:Security …>…</wsse:Security></soap:Header><soap:Body>…'
 */
import soap from 'soap';
import type { Credential } from './index.js';

export interface UsernameToken {
  username: string;
  password: string;
  passwordType: 'text' | 'digest';
}

// The envelope's SOAP prefix, from its Body element.
const BODY = /<([\w.-]+):Body[\s>]/;

export function withUsernameToken(envelope: string, token: UsernameToken): string {
  const body = BODY.exec(envelope);
  if (!body) return envelope;
  const prefix = body[1]!;
  const passwordType = token.passwordType === 'digest' ? 'PasswordDigest' : 'PasswordText';
  const security = new soap.WSSecurity(token.username, token.password, { passwordType, envelopeKey: prefix }).toXML();
  const header = new RegExp(`<${prefix}:Header(\\s[^>]*)?>`).exec(envelope);
  if (header) {
    const at = header.index + header[0].length;
    return envelope.slice(0, at) + security + envelope.slice(at);
  }
  return `${envelope.slice(0, body.index)}<${prefix}:Header>${security}</${prefix}:Header>${envelope.slice(body.index)}`;
}

export function usernameTokenCredential(token: UsernameToken): Credential {
  return {
    apply(attempt) {
      const envelope = typeof attempt.body === 'string' ? attempt.body : Buffer.from(attempt.body ?? '').toString('utf8');
      attempt.body = withUsernameToken(envelope, token);
    },
  };
}
