/**
 * Acting as a user who holds credentials: the `--auth` options for `source:add` that a document's
 * security schemes call for, the dummy values for the variables source:add prints, and a stand-in
 * OAuth2 token endpoint on loopback (the documents' own token URLs are on the internet).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHeaderName } from '../../lib/http.js';

export interface AuthPlan { options: string[]; inexpressible: string[] }

export function authPlan(document: any, tokenUrl: string): AuthPlan {
  const schemes: Record<string, any> = document.components?.securitySchemes ?? {};
  const used = new Set<string>();
  const requirements = [...(document.security ?? [])];
  for (const item of Object.values<any>(document.paths ?? {})) {
    for (const operation of Object.values<any>(item ?? {})) if (Array.isArray(operation?.security)) requirements.push(...operation.security);
  }
  for (const requirement of requirements) for (const name of Object.keys(requirement ?? {})) used.add(name);
  const options = new Set<string>();
  const inexpressible: string[] = [];
  for (const name of used) {
    const scheme = schemes[name];
    const spec = scheme ? authSpec(scheme, tokenUrl) : undefined;
    if (spec) options.add(spec);
    else inexpressible.push(scheme ? `${name} (${scheme.type}${scheme.in ? ` in ${scheme.in}` : ''}${scheme.scheme ? ` ${scheme.scheme}` : ''})` : `${name} (not declared)`);
  }
  return { options: [...options].flatMap((spec) => ['--auth', spec]), inexpressible };
}

function authSpec(scheme: any, tokenUrl: string): string | undefined {
  if (scheme.type === 'apiKey' && (scheme.in === 'header' || scheme.in === 'query') && isHeaderName(String(scheme.name))) return `apiKey:${scheme.in}:${scheme.name}`;
  if (scheme.type === 'http' && /^bearer$/i.test(scheme.scheme)) return 'bearer';
  if (scheme.type === 'http' && /^basic$/i.test(scheme.scheme)) return 'basic';
  if (scheme.type === 'oauth2' && scheme.flows?.clientCredentials) return `oauth2:${tokenUrl}`;
  // Other OAuth2 flows and OpenID Connect: the user has obtained an access token and sends it.
  if (scheme.type === 'oauth2' || scheme.type === 'openIdConnect') return 'bearer';
  return undefined;
}

/** Dummy values for the variables `source:add` printed (`are read from: A, B; set them`). */
export function credentialEnv(output: string): Record<string, string> {
  const names = /are read from: ([^;]+);/.exec(output)?.[1]?.split(',').map((name) => name.trim()) ?? [];
  return Object.fromEntries(names.map((name) => [name, /USERNAME$/.test(name) ? 'bench-user' : `bench-${name.toLowerCase().replace(/_/g, '-')}`]));
}

/** An OAuth2 token endpoint that grants every client a bearer token. */
export async function startTokenServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ access_token: 'bench-access-token', token_type: 'Bearer', expires_in: 3600 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth/token`, server };
}
