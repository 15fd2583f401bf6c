/**
 * How a SOAP provider checks a WS-Security UsernameToken in an envelope it received, written here
 * apart from the gateway's (node-soap's) writing of it: PasswordText, or PasswordDigest =
 * Base64(SHA-1(nonce + created + password)) with the nonce sent in base64.
 *
 *   usernameTokenValid(envelope, { username: 'shop', password: 'secret', type: 'digest' });   // true
 */
import { createHash } from 'node:crypto';

const TYPES = {
  text: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText',
  digest: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest',
};

export function usernameTokenValid(envelope: string, expected: { username: string; password: string; type: 'text' | 'digest' }): boolean {
  const text = (element: string) => new RegExp(`<wsse:${element}\\b[^>]*>([^<]*)</wsse:${element}>`).exec(envelope)?.[1];
  const type = /<wsse:Password Type="([^"]+)"/.exec(envelope)?.[1];
  const created = /<wsse:UsernameToken\b[\s\S]*?<wsu:Created>([^<]+)<\/wsu:Created>/.exec(envelope)?.[1];
  if (text('Username') !== expected.username || type !== TYPES[expected.type]) return false;
  if (expected.type === 'text') return text('Password') === expected.password.replace(/&/g, '&amp;');
  const nonce = Buffer.from(text('Nonce') ?? '', 'base64');
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created ?? ''), Buffer.from(expected.password)])).digest('base64');
  return nonce.length > 0 && text('Password') === digest;
}
