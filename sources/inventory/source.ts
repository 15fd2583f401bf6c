/**
 * The `inventory` source for Mesh's graphql handler: the warehouse ERP's SOAP service, as an
 * executable schema built from its pinned WSDL and its manifest, source.json (see gateway/sources/soap
 * for why not the stock SOAP handler).
 */
import { soapSourceSchema } from '../../gateway/sources/soap/soap-source.js';

export const schema = soapSourceSchema('inventory', 'inventory.wsdl');
