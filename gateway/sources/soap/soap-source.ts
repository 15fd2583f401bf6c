/**
 * A SOAP source, as its manifest declares it: the schema of its pinned WSDL, each call sent through
 * the gateway's upstreams under the source's own policy and credentials, with the SOAP headers its
 * WSDL declares filled from its `soapHeaders` credential, and the operations its manifest names in
 * `idempotentOperations` retried like reads. `sources/<name>/source.ts` is one call of this
 * (`source:add` writes it).
 *
 *   export const schema = soapSourceSchema('carrier', 'carrier.wsdl');
 */
import { resolveCredentials } from '../../config/credentials.js';
import { MANIFEST, readSourceManifests, sourceUrlVariable, type SourceManifest } from '../../config/source-manifests.js';
import { ConfigError } from '../../config/config.js';
import { projectPath } from '../../config/project.js';
import { callScope, scopeOf } from '../../upstream/index.js';
import { createSoapSchema } from './soap-schema.js';
import type { Send } from './soap-transport.js';

export function soapSourceSchema(name: string, wsdlFile: string) {
  let manifest: SourceManifest | undefined;
  const declared = () => (manifest ??= readSourceManifests().find((source) => source.name === name));
  return createSoapSchema({
    source: name,
    wsdlPath: projectPath('sources', name, wsdlFile),
    // The manifest's endpoint unless <NAME>_URL is set (the gateway fills it in at start).
    connection: () => ({ endpoint: process.env[sourceUrlVariable(name)] }),
    send: sendThroughScope(name),
    isIdempotent: (operation) => declared()?.idempotentOperations.includes(operation) ?? false,
    // Checked at start with the rest of the configuration (gateway/config/config.ts).
    soapHeaders: () => {
      const source = declared();
      if (!source) return undefined;
      const settings = resolveCredentials(name, source.credentials, process.env, `sources/${name}/${MANIFEST}`, (message) => {
        throw new ConfigError(message);
      });
      return settings.flatMap((setting) => (setting.type === 'soapHeaders' ? [setting.values] : []))
        .reduce<Record<string, unknown> | undefined>((all, values) => ({ ...all, ...values }), undefined);
    },
  });
}

/** Sends a source's envelopes through the upstreams of the request the call is made for. */
export function sendThroughScope(source: string): Send {
  return (url, init, { context, ...call }) => {
    return scopeOf(context).upstreams.send(source, url, init, { ...call, ...callScope(context) });
  };
}
