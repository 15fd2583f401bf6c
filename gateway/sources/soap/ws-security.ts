/**
 * WS-Security UsernameToken (OASIS WSS 1.1) for SOAP sources, added to each envelope by the upstream
 * policy as it sends it, like every other source's credentials: the SOAP schema writes envelopes
 * without credentials, so a retried or shared call never carries a stale timestamp. node-soap writes
 * the header element itself.
 *
 *   withUsernameToken('<soap:Envelope …><soap:Body>…', 'switchboard', 'secret');
 *   // '<soap:Envelope …><soap:Header><wsse:Security …>…</wsse:Security></soap:Header><soap:Body>…'
 */
import soap from 'soap';

// The envelope's SOAP prefix, from its Body element, and an existing Header's opening tag.
const BODY = /<([\w.-]+):Body[\s>]/;

export function withUsernameToken(envelope: string, username: string, password: string): string {
  const body = BODY.exec(envelope);
  if (!body) return envelope;
  const prefix = body[1]!;
  const security = new soap.WSSecurity(username, password, { passwordType: 'PasswordText', envelopeKey: prefix }).toXML();
  const header = new RegExp(`<${prefix}:Header(\\s[^>]*)?>`).exec(envelope);
  if (header) {
    const at = header.index + header[0].length;
    return envelope.slice(0, at) + security + envelope.slice(at);
  }
  return `${envelope.slice(0, body.index)}<${prefix}:Header>${security}</${prefix}:Header>${envelope.slice(body.index)}`;
}

