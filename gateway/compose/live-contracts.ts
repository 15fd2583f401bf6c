/**
 * A provider's contract as its live API publishes it today, fetched with the source's own
 * credentials: a SOAP service's WSDL at `?wsdl`, a GraphQL API's schema by introspection, an
 * OpenAPI document where the manifest's `liveContract` says (a path under the source's URL, or a
 * URL); `"liveContract": false` says the provider publishes none. `npm run sources:drift` compares
 * it with the pinned one.
 *
 *   const live = await fetchLiveContract(manifest, { url, credentials }, 10_000);
 *   live;   // { status: 'fetched', from: 'https://lockers.example/soap?wsdl', text: '<definitions…', file: 'parcel-lockers.wsdl' }
 */
import { basename } from 'node:path';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import type { CredentialSettings } from '../config/credentials.js';
import { PREPARED, type SourceManifest } from '../config/source-manifests.js';
import { createCredentials } from '../upstream/credentials/index.js';
import { exchange } from '../upstream/http-exchange.js';

export type LiveContract =
  | { status: 'fetched'; from: string; text: string; file: string }
  | { status: 'unpublished'; reason: string }
  | { status: 'unreachable'; from: string; reason: string };

export interface LiveSource {
  /** Where the source's upstream answers. */
  url: string;
  credentials: readonly CredentialSettings[];
}

export async function fetchLiveContract(manifest: SourceManifest, source: LiveSource, timeoutMs: number): Promise<LiveContract> {
  const where = manifest.liveContract;
  if (where === false) return { status: 'unpublished', reason: `sources/${manifest.name}/source.json says its provider publishes no contract ("liveContract": false)` };
  if (where === undefined && manifest.kind === 'openapi') {
    return { status: 'unpublished', reason: `no "liveContract" in sources/${manifest.name}/source.json: set it to where the provider publishes its OpenAPI document (a path under its URL, such as "/openapi.json", or a URL)` };
  }
  const from = where === undefined ? (manifest.kind === 'soap' ? `${source.url}?wsdl` : source.url) : /^https?:/.test(where) ? where : `${source.url}${where}`;
  const introspect = manifest.kind === 'graphql' && where === undefined;
  // A WSDL or an OpenAPI document is fetched over plain HTTP: a UsernameToken belongs to SOAP calls only.
  const credentials = createCredentials(manifest.name, source.credentials.filter((credential) => credential.type !== 'wsSecurity'), { sourceUrl: source.url, timeoutMs });
  const attempt = {
    url: new URL(from),
    headers: new Headers(introspect ? { 'content-type': 'application/json', accept: 'application/json' } : { accept: '*/*' }),
    body: introspect ? JSON.stringify({ query: getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true }) }) : undefined,
  };
  let text: string;
  try {
    await credentials.apply(attempt);
    const reply = await exchange(attempt.url, { method: introspect ? 'POST' : 'GET', headers: attempt.headers, body: attempt.body }, timeoutMs, credentials.agent);
    if (reply.status !== 200) return { status: 'unreachable', from, reason: `it answered HTTP ${reply.status}` };
    text = reply.body.toString('utf8');
  } catch (error) {
    return { status: 'unreachable', from, reason: (error as Error).message.split('\n')[0]!.replace(/\.+$/, '') };
  }
  const file = basename(manifest.contract.startsWith(`${PREPARED}/`) ? manifest.contract.slice(PREPARED.length + 1) : manifest.contract);
  if (!introspect) return { status: 'fetched', from, text, file };
  try {
    const answer = JSON.parse(text) as { data?: IntrospectionQuery; errors?: { message: string }[] };
    if (!answer.data?.__schema) return { status: 'unreachable', from, reason: `its introspection answered no schema${answer.errors?.[0] ? ` (${answer.errors[0].message})` : ''}` };
    return { status: 'fetched', from, text: printSchema(buildClientSchema(answer.data)), file: 'schema.graphql' };
  } catch (error) {
    return { status: 'unreachable', from, reason: `its introspection answer does not read as a schema (${(error as Error).message.split('\n')[0]})` };
  }
}
