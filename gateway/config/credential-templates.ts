/**
 * The credentials `source:add --auth <kind>` declares in a new source's manifest, each secret as a
 * variable named after the source, and the variables an operator must then set.
 *
 *   credentialTemplate('shipping', 'apiKey:query:api_key');
 *   // { credential: { type: 'apiKey', in: 'query', name: 'api_key', value: '{env.SHIPPING_API_KEY}' }, variables: ['SHIPPING_API_KEY'] }
 *
 * The kinds: apiKey:header:<name>, apiKey:query:<name>, bearer, basic, oauth2:<token URL>,
 * wsSecurity, wsSecurity:digest, soapHeaders:<Element>.<Child>[,…], mutualTls.
 */
import { isHeaderName } from '../../lib/http.js';
import type { DeclaredCredential } from './credentials.js';

export const AUTH_USAGE = 'apiKey:header:<name>, apiKey:query:<name>, bearer, basic, oauth2:<token URL>, wsSecurity, wsSecurity:digest, soapHeaders:<Element>.<Child>[,...] or mutualTls';

export class AuthSpecError extends Error {}

export function credentialTemplate(source: string, spec: string): { credential: DeclaredCredential; variables: string[] } {
  const prefix = source.toUpperCase();
  const variables: string[] = [];
  const env = (suffix: string) => {
    const name = `${prefix}_${suffix}`;
    variables.push(name);
    return `{env.${name}}`;
  };
  const at = spec.indexOf(':');
  const kind = at < 0 ? spec : spec.slice(0, at);
  const rest = at < 0 ? '' : spec.slice(at + 1);
  const bad = (): never => {
    throw new AuthSpecError(`--auth ${JSON.stringify(spec)} is not one of ${AUTH_USAGE}`);
  };
  let credential: DeclaredCredential;
  switch (kind) {
    case 'apiKey': {
      const match = /^(header|query):(.+)$/.exec(rest);
      if (!match || !isHeaderName(match[2]!)) return bad();
      credential = { type: 'apiKey', in: match[1], name: match[2], value: env('API_KEY') };
      break;
    }
    case 'bearer':
      if (rest) bad();
      credential = { type: 'bearer', token: env('TOKEN') };
      break;
    case 'basic':
      if (rest) bad();
      credential = { type: 'basic', username: env('USERNAME'), password: env('PASSWORD') };
      break;
    case 'oauth2':
      if (!/^https?:\/\/\S+$/.test(rest)) bad();
      credential = { type: 'oauth2ClientCredentials', tokenUrl: rest, clientId: env('CLIENT_ID'), clientSecret: env('CLIENT_SECRET') };
      break;
    case 'wsSecurity':
      if (rest !== '' && rest !== 'digest' && rest !== 'text') bad();
      credential = { type: 'wsSecurity', username: env('USERNAME'), password: env('PASSWORD'), passwordType: rest || 'text' };
      break;
    case 'soapHeaders': {
      const paths = rest.split(',').map((path) => /^([A-Za-z_][\w.-]*)\.([A-Za-z_][\w-]*)$/.exec(path.trim()));
      if (!rest || paths.some((path) => !path)) bad();
      const values: Record<string, Record<string, string>> = {};
      for (const [, element, child] of paths as RegExpExecArray[]) {
        (values[element!] ??= {})[child!] = env(`${snake(element!)}_${snake(child!)}`);
      }
      credential = { type: 'soapHeaders', values };
      break;
    }
    case 'mutualTls':
      if (rest) bad();
      credential = { type: 'mutualTls', cert: env('CLIENT_CERT'), key: env('CLIENT_KEY') };
      break;
    default:
      return bad();
  }
  return { credential, variables };
}

/** Private: `AgencyAuth` → `AGENCY_AUTH`. */
function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
}
