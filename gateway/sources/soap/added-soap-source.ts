/**
 * A SOAP source added with `npm run source:add`: the schema of its pinned WSDL, sending each call
 * through the gateway's upstreams under the source's own policy. `sources/<name>/source.ts` is one
 * call of this.
 *
 *   export const schema = soapSourceSchema('carrier', 'carrier.wsdl');
 */
import { sourceUrlVariable } from '../../config/added-sources.js';
import { readSoapHeaders } from '../../config/config.js';
import { projectPath } from '../../config/project.js';
import { scopeOf } from '../../upstream/index.js';
import { createSoapSchema } from './soap-schema.js';
import type { Send } from './soap-transport.js';

export function soapSourceSchema(name: string, wsdlFile: string) {
  return createSoapSchema({
    source: name,
    wsdlPath: projectPath('sources', name, wsdlFile),
    // The manifest's endpoint unless <NAME>_URL is set (the gateway fills it in at start).
    connection: () => ({ endpoint: process.env[sourceUrlVariable(name)] }),
    send: sendThroughScope(name),
    // The values of the SOAP headers its WSDL declares, checked at start (gateway/config/config.ts).
    soapHeaders: () => readSoapHeaders(process.env, name),
  });
}

/** Sends a source's envelopes through the upstreams of the request the call is made for. */
export function sendThroughScope(source: string): Send {
  return (url, init, { context, ...call }) => {
    const { upstreams, clientHeaders } = scopeOf(context);
    return upstreams.send(source, url, init, { ...call, clientHeaders });
  };
}
