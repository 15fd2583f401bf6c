/**
 * The `inventory` source for Mesh's graphql handler: the warehouse ERP's SOAP service, as an
 * executable schema built from its pinned WSDL (see gateway/sources/soap for why not the stock SOAP handler).
 */
import { loadConfig } from '../../gateway/config/config.js';
import { projectPath } from '../../gateway/config/project.js';
import { createSoapSchema } from '../../gateway/sources/soap/soap-schema.js';
import { sendThroughScope } from '../../gateway/sources/soap/added-soap-source.js';

export const schema = createSoapSchema({
  source: 'inventory',
  wsdlPath: projectPath('sources', 'inventory', 'inventory.wsdl'),
  connection: () => ({ endpoint: loadConfig(process.env).sources.inventory.url }),
  // The gateway's upstream policy adds the WS-Security UsernameToken to every attempt.
  send: sendThroughScope('inventory'),
  // The caller names each reservation, so sending one of these again changes nothing (inventory.wsdl).
  isIdempotent: (operation) => ['ReserveStock', 'ReleaseReservation', 'CommitReservation'].includes(operation),
});
