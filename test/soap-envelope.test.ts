/**
 * The gateway reads SOAP answers with its own reader (gateway/sources/soap/read-envelope.ts) instead of
 * node-soap's: the two must agree on every answer the demo ERP gives, up to what the SOAP schema's
 * readValue evens out anyway: node-soap types scalars by the XSD, makes a lone repeated element a
 * one-item list and leaves nil elements out, where this reader keeps text, the lone element and null.
 */
import soap from 'soap';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEnvelope } from '../gateway/sources/soap/read-envelope.js';
import { INVENTORY_PATH, INVENTORY_WSDL_PATH, startInventoryService } from '../demo/inventory/app.js';
import { world } from './helpers/expected.js';

const ENVELOPE = (body: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${body}</soap:Body></soap:Envelope>`;

let nodeSoap: (xml: string) => unknown;
beforeAll(async () => {
  const client = await soap.createClientAsync(INVENTORY_WSDL_PATH);
  nodeSoap = (xml) => client.wsdl.xmlToObject(xml);
});

/** A reading as the SOAP schema sees it: scalars as text, a one-item list as its item, no nulls. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.length === 1 ? canonical(value[0]) : value.map(canonical);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, canonical(v)]));
};

const thrown = (read: (xml: string) => unknown, xml: string) => {
  try {
    read(xml);
  } catch (error) {
    return { message: (error as Error).message, root: (error as { root?: unknown }).root };
  }
  throw new Error('expected a Fault to be thrown');
};

describe('readEnvelope', () => {
  it('reads a real 100-SKU answer of the demo ERP as node-soap does', async () => {
    const inventory = await startInventoryService({ world: undefined });
    try {
      const skus = world.stock.slice(0, 100).map((s) => `<inv:Sku>${s.sku}</inv:Sku>`).join('');
      const response = await fetch(`${inventory.url}${INVENTORY_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '"http://switchboard.example/inventory/GetStockLevels"' },
        body: ENVELOPE(`<inv:GetStockLevelsRequest xmlns:inv="http://switchboard.example/inventory">${skus}</inv:GetStockLevelsRequest>`)
          .replace('<soap:Body>', '<soap:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">'
            + '<wsse:UsernameToken><wsse:Username>switchboard</wsse:Username><wsse:Password>demo-inventory-password</wsse:Password>'
            + '</wsse:UsernameToken></wsse:Security></soap:Header><soap:Body>'),
      });
      const xml = await response.text();
      expect(response.status).toBe(200);
      const ours = readEnvelope(xml) as { Body: { GetStockLevelsResponse: { StockLevel: unknown[] } } };
      expect(ours.Body.GetStockLevelsResponse.StockLevel).toHaveLength(100);
      expect(canonical(ours)).toEqual(canonical(nodeSoap(xml)));
    } finally {
      await inventory.close();
    }
  });

  it('reads one repeated element as an object, attributes, entities, CDATA and nil as node-soap does', () => {
    const xml = ENVELOPE('<r:GetStockLevelsResponse xmlns:r="http://switchboard.example/inventory" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
      + '<r:StockLevel><r:Sku>A &amp; B &#x263A;</r:Sku><r:Total xsi:nil="true"/><r:Warehouses><r:Warehouse><![CDATA[<AMS>]]></r:Warehouse>'
      + '<r:Quantity unit="pcs">5</r:Quantity></r:Warehouses></r:StockLevel></r:GetStockLevelsResponse>');
    expect(readEnvelope(xml)).toEqual({
      Body: { GetStockLevelsResponse: { StockLevel: { Sku: 'A & B ☺', Total: null, Warehouses: { Warehouse: '<AMS>', Quantity: { attributes: { unit: 'pcs' }, $value: '5' } } } } },
    });
    expect(canonical(readEnvelope(xml))).toEqual(canonical(nodeSoap(xml)));
  });

  it("leaves out xsi's attributes, which would hide the contract's own of the same local name", () => {
    const xml = ENVELOPE('<wd:Get_Workers_Response xmlns:wd="urn:com.workday/bsvc" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
      + '<wd:ID xsi:type="wd:WorkerObjectIDType" wd:type="Employee_ID">21001</wd:ID><wd:Note xsi:type="xsd:string">on leave</wd:Note></wd:Get_Workers_Response>');
    expect(readEnvelope(xml)).toEqual({ Body: { Get_Workers_Response: { ID: { attributes: { type: 'Employee_ID' }, $value: '21001' }, Note: 'on leave' } } });
  });

  it('reads elements named as HTML void elements (link, input, meta) with their content', () => {
    const xml = ENVELOPE('<GetDocumentResponse><Document><link>https://docs.example/1</link><input>scan</input><meta><Pages>3</Pages></meta></Document></GetDocumentResponse>');
    // txml would read them as HTML does, without children, and fail at their closing tags.
    expect(readEnvelope(xml)).toEqual({ Body: { GetDocumentResponse: { Document: { link: 'https://docs.example/1', input: 'scan', meta: { Pages: '3' } } } } });
  });

  it('throws a Fault with its envelope, as node-soap does', () => {
    const xml = ENVELOPE('<soap:Fault><faultcode>soap:Server</faultcode><faultstring>Stock record SKU-1 is locked &amp; audited.</faultstring>'
      + '<detail><InventoryFault xmlns="http://switchboard.example/inventory"><Code>STOCK_LOCKED</Code><Sku>SKU-1</Sku></InventoryFault></detail></soap:Fault>');
    const ours = thrown(readEnvelope, xml);
    expect(ours.root).toEqual(thrown(nodeSoap, xml).root);
    expect(ours).toEqual({
      message: 'soap:Server: Stock record SKU-1 is locked & audited.',
      root: { Envelope: { Body: { Fault: {
        faultcode: 'soap:Server',
        faultstring: 'Stock record SKU-1 is locked & audited.',
        detail: { InventoryFault: { Code: 'STOCK_LOCKED', Sku: 'SKU-1' } },
      } } } },
    });
  });

  it('refuses a body without an element', () => {
    expect(() => readEnvelope('not xml at all')).toThrow('The answer holds no XML element.');
  });

  it('skips comments and processing instructions, and reads single quotes, spaces around = and empty elements', () => {
    const xml = `<?xml version='1.0'?><!-- from the ERP --><soap:Envelope xmlns:soap='http://schemas.xmlsoap.org/soap/envelope/'>\n  <soap:Body>
      <R><?trace 7?><Total unit = 'pcs' >4<!-- counted -->2</Total><Empty/><Marked code="a&lt;b" /><Blank>  </Blank></R></soap:Body></soap:Envelope>`;
    expect(readEnvelope(xml)).toEqual({ Body: { R: { Total: { attributes: { unit: 'pcs' }, $value: '42' }, Empty: '', Marked: { attributes: { code: 'a<b' }, $value: '' }, Blank: '' } } });
  });

  it('refuses broken XML with a message that names what is wrong', () => {
    const whole = ENVELOPE('<R><Sku a="1">SKU-1</Sku></R>');
    expect(() => readEnvelope(whole.slice(0, whole.length - 5))).toThrow('The SOAP envelope is cut short.');
    expect(() => readEnvelope(whole.slice(0, whole.indexOf('a="1"') + 3))).toThrow('The SOAP envelope is cut short.');
    expect(() => readEnvelope(ENVELOPE('<R><Sku>SKU-1</R></Sku>'))).toThrow('The XML is broken: </R> closes <Sku>.');
    expect(() => readEnvelope(ENVELOPE('<R><Sku a=1>SKU-1</Sku></R>'))).toThrow('The XML is broken: the value of the attribute a of <Sku> is not quoted.');
    expect(() => readEnvelope(`<!DOCTYPE x [<!ENTITY e "boom">]>${ENVELOPE('<R>&e;</R>')}`)).toThrow('The answer declares a document type, which SOAP does not allow.');
  });
});
