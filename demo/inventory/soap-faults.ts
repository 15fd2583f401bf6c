/**
 * SOAP 1.1 Faults of the demo warehouse ERP, in the two forms it needs: an object that node-soap
 * serializes when it is thrown from an operation or from `authenticate`, and a whole envelope for
 * the requests refused before node-soap reads them.
 *
 *   throw soapFault('soap:Server', 'Stock record SKU-1191 is locked for a stock audit', { Code: 'STOCK_LOCKED', Sku: 'SKU-1191' });
 */
import { escapeXml } from '../../lib/xml.js';

export const INVENTORY_NS = 'http://switchboard.example/inventory';
const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

/** The `InventoryFault` detail element of inventory.wsdl. */
export interface InventoryFaultDetail {
  Code: 'BATCH_TOO_LARGE' | 'STOCK_LOCKED' | 'INVALID_REQUEST' | 'INSUFFICIENT_STOCK' | 'UNKNOWN_SKU'
    | 'RESERVATION_CLOSED' | 'RESERVATION_CONFLICT' | 'UNKNOWN_RESERVATION';
  Sku?: string;
}

/** `soap:` is the envelope prefix node-soap writes; `wsse:` codes come from WS-Security. */
export type FaultCode = 'soap:Client' | 'soap:Server' | 'wsse:FailedAuthentication';

export interface ThrownFault {
  Fault: Record<string, unknown>;
}

/** A Fault for node-soap to send: `throw soapFault(...)`. */
export function soapFault(faultcode: FaultCode, faultstring: string, detail?: InventoryFaultDetail): ThrownFault {
  return {
    Fault: {
      // A QName's prefix must be declared where it is used; node-soap only declares `soap:` on the envelope.
      ...(faultcode.startsWith('wsse:') ? { attributes: { 'xmlns:wsse': WSSE_NS } } : {}),
      faultcode,
      faultstring,
      ...(detail ? { detail: { InventoryFault: { attributes: { xmlns: INVENTORY_NS }, ...detail } } } : {}),
      // node-soap answers a thrown Fault with HTTP 200 unless told; SOAP 1.1 over HTTP (§6.2) wants 500.
      statusCode: 500,
    },
  };
}

/** A whole SOAP 1.1 envelope carrying a Fault without detail. */
export function soapFaultEnvelope(faultcode: FaultCode, faultstring: string): string {
  return '<?xml version="1.0" encoding="utf-8"?>'
    + `<soap:Envelope xmlns:soap="${SOAP_ENV_NS}"><soap:Body><soap:Fault>`
    + `<faultcode>${faultcode}</faultcode><faultstring>${escapeXml(faultstring)}</faultstring>`
    + '</soap:Fault></soap:Body></soap:Envelope>';
}
