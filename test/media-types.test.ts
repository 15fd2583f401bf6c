/**
 * What the gateway asks REST upstreams for and what it takes from them: the `Accept` of each operation
 * from its contract, an XML answer read by its schema (attributes, wrapped arrays, names, types), and
 * the refusal of a media type the operation does not declare. End to end against a Petstore that
 * answers by `Accept`: test/accept.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRestMedia } from '../gateway/sources/rest/openapi-media.js';
import { acceptFor, JSON_ONLY, readAnswer, type OperationMedia } from '../gateway/upstream/media-types.js';
import { readXmlAnswer } from '../gateway/sources/rest/xml-answer.js';
import { FIXTURES } from './helpers/contract-upstreams.js';

const SHIPMENT = {
  type: 'object',
  xml: { name: 'Shipment' },
  properties: {
    id: { type: 'string', xml: { attribute: true } },
    priority: { type: 'integer', xml: { attribute: true, name: 'prio' } },
    insured: { type: 'boolean' },
    weightKg: { type: 'number', xml: { name: 'weight' } },
    count: { type: 'integer' },
    note: { type: 'string' },
    labels: { type: 'array', xml: { wrapped: true }, items: { type: 'string', xml: { name: 'label' } } },
    stops: { type: 'array', items: { type: 'object', xml: { name: 'stop' }, properties: { seq: { type: 'integer', xml: { attribute: true } }, city: { type: 'string' } } } },
    codes: { type: 'array', items: { type: 'integer' } },
    sender: { allOf: [{ type: 'object', properties: { name: { type: 'string' } } }, { properties: { vip: { type: 'boolean' } } }] },
    totals: { type: 'object', additionalProperties: { type: 'integer' } },
    big: { type: 'integer', format: 'int64' },
  },
};

const reply = (contentType: string | undefined, body: string) => ({
  status: 200,
  statusText: 'OK',
  headers: new Headers(contentType ? { 'content-type': contentType } : {}),
  body: Buffer.from(body),
});

describe('readXmlAnswer', () => {
  it('reads attributes, named and wrapped elements, repeated elements and maps, converting by type', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <s:Shipment xmlns:s="urn:ship" id="SH-1" s:prio="2">
        <s:insured>true</s:insured><weight>12.5</weight><count>0</count><note> Fragile &amp; "heavy" </note>
        <labels><label>red</label><label>blue</label></labels>
        <stop seq="1"><city>Cork</city></stop><stop seq="2"><city>Dublin</city></stop>
        <codes>7</codes><codes>9</codes>
        <sender><name>Aoife</name><vip>0</vip></sender>
        <totals><available>3</available><sold>12</sold></totals>
        <big>9223372036854775807</big>
      </s:Shipment>`;
    expect(readXmlAnswer(xml, SHIPMENT)).toEqual({
      id: 'SH-1', priority: 2, insured: true, weightKg: 12.5, count: 0, note: 'Fragile & "heavy"',
      labels: ['red', 'blue'],
      stops: [{ seq: 1, city: 'Cork' }, { seq: 2, city: 'Dublin' }],
      codes: [7, 9],
      sender: { name: 'Aoife', vip: false },
      totals: { available: 3, sold: 12 },
      // Wider than a double holds exactly: kept as its digits.
      big: '9223372036854775807',
    });
  });

  it('reads an attribute the upstream wrote as a child element instead, by the same name', () => {
    const xml = '<Shipment prio="3"><id>SH-2</id><stop><seq>4</seq><city>Galway</city></stop></Shipment>';
    expect(readXmlAnswer(xml, SHIPMENT)).toEqual({ id: 'SH-2', priority: 3, stops: [{ seq: 4, city: 'Galway' }] });
  });

  it('leaves out what the answer has not, reads nil and empty values as null, and an empty wrapper as no items', () => {
    const xml = '<Shipment xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><count/><note xsi:nil="true"/><labels/></Shipment>';
    expect(readXmlAnswer(xml, SHIPMENT)).toEqual({ count: null, note: null, labels: [] });
  });

  it('reads a root array from the children of the root, and an element without a schema by its names', () => {
    const list = { type: 'array', items: SHIPMENT };
    expect(readXmlAnswer('<list><Shipment id="A"/><Shipment id="B"><count>2</count></Shipment></list>', list)).toEqual([{ id: 'A' }, { id: 'B', count: 2 }]);
    expect(readXmlAnswer('<a><b>1</b><c><d>x</d></c><b>2</b></a>', undefined)).toEqual({ b: ['1', '2'], c: { d: 'x' } });
  });

  it('refuses a document cut short, no element at all, and a value its type cannot take', () => {
    expect(() => readXmlAnswer('<Shipment><count>1</count>', SHIPMENT)).toThrow('The XML answer is cut short.');
    expect(() => readXmlAnswer('just text', SHIPMENT)).toThrow('The answer holds no XML element.');
    expect(() => readXmlAnswer('<Shipment><count>many</count></Shipment>', SHIPMENT)).toThrow('"many" is not a number.');
    expect(() => readXmlAnswer('<Shipment><insured>yes</insured></Shipment>', SHIPMENT)).toThrow('"yes" is not a boolean.');
  });
});

describe('acceptFor', () => {
  it('puts JSON first, then the XML types the gateway reads, and asks for JSON when nothing is declared', () => {
    expect(acceptFor(['application/xml', 'application/json'])).toBe('application/json, application/xml');
    expect(acceptFor(['text/xml', 'application/problem+json', 'text/html', 'application/atom+xml'])).toBe('application/problem+json, text/xml, application/atom+xml');
    expect(acceptFor(['text/plain'])).toBe('text/plain');
    expect(acceptFor([])).toBe('application/json');
  });
});

describe('readAnswer', () => {
  const media: OperationMedia = { accept: 'application/json, application/xml', declared: ['application/xml', 'application/json'], schema: SHIPMENT };

  it('takes JSON as it came, and gives an XML answer as the JSON of its value', () => {
    const json = reply('application/json; charset=utf-8', '{"id":"SH-1"}');
    expect(readAnswer('carrier', media, json)).toBe(json);
    const read = readAnswer('carrier', media, reply('text/xml; charset=utf-8', '<Shipment id="SH-1"><count>3</count></Shipment>'));
    expect([read.headers.get('content-type'), read.body.toString()]).toEqual(['application/json', '{"id":"SH-1","count":3}']);
  });

  it('refuses a media type the operation does not declare, naming it, and XML that does not read', () => {
    const refusal = (contentType: string, declared: OperationMedia, body = '<html>Bad gateway</html>') => {
      try {
        readAnswer('petstore', declared, reply(contentType, body));
      } catch (error) {
        return { message: (error as Error).message, extensions: (error as { extensions: unknown }).extensions };
      }
      return undefined;
    };
    expect(refusal('text/html; charset=utf-8', media)).toEqual({
      message: 'petstore answered text/html, which its contract does not declare for this operation.',
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'petstore' },
    });
    // Nothing declared is JSON: XML is refused then too.
    expect(refusal('application/xml', JSON_ONLY)?.message).toBe('petstore answered application/xml, which its contract does not declare for this operation.');
    expect(refusal('text/html <script>alert(1)</script>', media)?.message).toBe('petstore answered a media type, which its contract does not declare for this operation.');
    expect(refusal('application/xml', media, '<Shipment><count>1</count>')).toEqual({
      message: 'petstore answered with a response Switchboard could not read.',
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'petstore' },
    });
  });

  it('takes a declared type of another kind, or one a wildcard covers, as it came; and an answer with no content type', () => {
    const text = reply('text/plain', 'pong');
    expect(readAnswer('carrier', { accept: 'text/plain', declared: ['text/plain'] }, text)).toBe(text);
    const html = reply('text/html', '<p/>');
    expect(readAnswer('carrier', { accept: 'application/json', declared: ['application/json', 'text/*'] }, html)).toBe(html);
    const bare = reply(undefined, '{}');
    expect(readAnswer('carrier', media, bare)).toBe(bare);
  });
});

describe('readRestMedia', () => {
  it("asks for each operation's declared types JSON first, the operation's produces over the document's", () => {
    const petstore = readRestMedia(FIXTURES, 'petstore.swagger.json');
    expect(['GET /pet/7', 'GET /pet/findByStatus', 'GET /store/inventory', 'POST /pet', 'GET /nowhere'].map((call) => {
      const [method, path] = call.split(' ') as [string, string];
      const media = petstore.operation(method, path);
      return media && [call, media.accept, media.declared, (media.schema?.xml as { name?: string } | undefined)?.name ?? media.schema?.type];
    })).toEqual([
      ['GET /pet/7', 'application/json, application/xml', ['application/xml', 'application/json'], 'Pet'],
      // The literal path wins over /pet/{petId}; an array of pets, each a Pet.
      ['GET /pet/findByStatus', 'application/json, application/xml', ['application/xml', 'application/json'], 'array'],
      // JSON alone: no schema is kept for reading XML.
      ['GET /store/inventory', 'application/json', ['application/json'], undefined],
      ['POST /pet', 'application/json, application/xml', ['application/xml', 'application/json'], undefined],
      undefined,
    ]);
    // The document's produces, when the operation has none.
    expect(readRestMedia(FIXTURES, 'parcel-carrier.swagger.json').operation('GET', '/parcels/PCL-1')?.accept).toBe('application/json');
  });

  it("follows an OpenAPI 3 contract's references into the files it refers to, and into itself", () => {
    const folder = mkdtempSync(join(tmpdir(), 'switchboard-media-'));
    writeFileSync(join(folder, 'common.yaml'), 'components:\n  schemas:\n    Money: { type: object, properties: { value: { type: integer }, currency: { type: string } } }\n');
    writeFileSync(join(folder, 'api.yaml'), [
      'openapi: 3.0.3',
      'info: { title: Ledger, version: "1" }',
      'paths:',
      '  /entries/{id}:',
      '    get:',
      '      responses:',
      "        '200':",
      '          content:',
      "            application/json: { schema: { $ref: '#/components/schemas/Entry' } }",
      "            application/vnd.ledger+xml: { schema: { $ref: '#/components/schemas/Entry' } }",
      'components:',
      '  schemas:',
      '    Entry:',
      '      type: object',
      '      properties:',
      '        id: { type: string, xml: { attribute: true } }',
      "        amount: { $ref: './common.yaml#/components/schemas/Money' }",
      "        children: { type: array, xml: { wrapped: true }, items: { $ref: '#/components/schemas/Entry' } }",
    ].join('\n'));
    try {
      const entry = readRestMedia(folder, 'api.yaml').operation('GET', '/entries/e1')!;
      expect([entry.accept, entry.declared]).toEqual(['application/json, application/vnd.ledger+xml', ['application/json', 'application/vnd.ledger+xml']]);
      const xml = '<Entry id="e1"><amount><value>4990</value><currency>EUR</currency></amount><children><Entry id="e2"><children/></Entry></children></Entry>';
      expect(readXmlAnswer(xml, entry.schema)).toEqual({ id: 'e1', amount: { value: 4990, currency: 'EUR' }, children: [{ id: 'e2', children: [] }] });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
