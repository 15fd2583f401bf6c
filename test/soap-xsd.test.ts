/**
 * XSD shapes of public WSDLs, in process: the SOAP schema built from a small WSDL around each
 * (gateway/sources/soap/soap-schema.ts), asked through GraphQL, with an upstream that records the envelope it
 * is sent and answers with a fixed one. What a whole contract does through `source:add` and a real
 * SOAP server is tested in xsd-shapes.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphql, printType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createSoapSchema } from '../gateway/sources/soap/soap-schema.js';

const folder = mkdtempSync(join(tmpdir(), 'switchboard-xsd-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * A SOAP 1.1 document/literal WSDL whose one operation, `Call`, takes `CallRequest` and answers
 * `CallResponse`, both declared in `schema` (in the namespace urn:t, prefix t).
 */
function wsdl(schema: string, schemaAttributes = 'elementFormDefault="qualified"'): string {
  return `<?xml version="1.0"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">
  <types><xs:schema targetNamespace="urn:t" ${schemaAttributes}>${schema}</xs:schema></types>
  <message name="In"><part name="body" element="t:CallRequest"/></message>
  <message name="Out"><part name="body" element="t:CallResponse"/></message>
  <portType name="P"><operation name="Call"><input message="t:In"/><output message="t:Out"/></operation></portType>
  <binding name="B" type="t:P"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="Call"><soap:operation soapAction="urn:t/Call"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>
  </binding>
  <service name="S"><port name="Port" binding="t:B"><soap:address location="http://upstream.example/soap"/></port></service>
</definitions>`;
}

/** The schema of a WSDL, and the envelopes it sends (whole, and their bodies); every call is answered with `responseBody`. */
async function soapSchema(name: string, contract: string, responseBody: string) {
  const wsdlPath = join(folder, `${name}.wsdl`);
  writeFileSync(wsdlPath, contract);
  const sent: string[] = [];
  const envelopes: string[] = [];
  const schema = await createSoapSchema({
    source: name,
    wsdlPath,
    connection: () => ({}),
    isQuery: () => false,
    send: async (_url, init) => {
      envelopes.push(String(init.body));
      sent.push(/<soap:Body>([\s\S]*)<\/soap:Body>/.exec(String(init.body))![1]!);
      return new Response(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>${responseBody}</soap:Body></soap:Envelope>`);
    },
  });
  return { schema, sent, envelopes };
}

async function run(schema: GraphQLSchema, document: string) {
  return JSON.parse(JSON.stringify(await graphql({ schema, source: document, contextValue: {} })));
}

const sdl = (schema: GraphQLSchema, ...names: string[]) => names.map((name) => printType(schema.getType(name) as GraphQLNamedType)).join('\n');

describe('XSD shapes of public WSDLs', () => {
  it("ONVIF's extension points: xsd:any in a sequence, anyAttribute on a base and its extension (one field), an attribute named Value", async () => {
    const { schema, sent } = await soapSchema('onvif', wsdl(`
      <xs:simpleType name="ReferenceToken"><xs:restriction base="xs:string"><xs:maxLength value="64"/></xs:restriction></xs:simpleType>
      <xs:complexType name="DeviceEntity"><xs:attribute name="token" type="t:ReferenceToken" use="required"/><xs:anyAttribute processContents="lax"/></xs:complexType>
      <xs:complexType name="VideoSource">
        <xs:complexContent><xs:extension base="t:DeviceEntity">
          <xs:sequence>
            <xs:element name="Framerate" type="xs:float"/>
            <xs:element name="Extension" type="t:VideoSourceExtension" minOccurs="0"/>
          </xs:sequence>
          <xs:anyAttribute processContents="lax"/>
        </xs:extension></xs:complexContent>
      </xs:complexType>
      <xs:complexType name="VideoSourceExtension">
        <xs:sequence><xs:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      </xs:complexType>
      <xs:complexType name="ItemList"><xs:sequence>
        <xs:element name="SimpleItem" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
          <xs:attribute name="Name" type="xs:string" use="required"/>
          <xs:attribute name="Value" type="xs:anySimpleType" use="required"/>
        </xs:complexType></xs:element>
      </xs:sequence></xs:complexType>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Source" type="t:VideoSource"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="Source" type="t:VideoSource"/><xs:element name="Items" type="t:ItemList"/></xs:sequence></xs:complexType></xs:element>`),
    '<t:CallResponse xmlns:t="urn:t" xmlns:x="urn:x"><t:Source token="vs-1" x:vendor="acme"><t:Framerate>25</t:Framerate><t:Extension><x:Lens>wide</x:Lens><x:Lens>tele</x:Lens></t:Extension></t:Source>'
      + '<t:Items><t:SimpleItem Name="IsMotion" Value="true"/></t:Items></t:CallResponse>');
    expect(sdl(schema, 'VideoSource', 'VideoSourceExtension', 'ItemListSimpleItem')).toBe(`type VideoSource {
  token: String!

  """Attributes the contract leaves open (xsd:anyAttribute), by local name."""
  otherAttributes: JSON
  framerate: Float!
  extension: VideoSourceExtension
}
type VideoSourceExtension {
  """
  Child elements the contract leaves open (xsd:any), by local name: text, or an object of children with \`attributes\` and \`$value\` (text).
  """
  otherElements: JSON
}
type ItemListSimpleItem {
  name: String!
  value: String!
}`);
    const result = await run(schema, `mutation { call(source: { token: "vs-2", framerate: 30, otherAttributes: { vendor: "acme" }, extension: { otherElements: { Lens: ["wide", "tele"] } } }) {
      source { token framerate otherAttributes extension { otherElements } } items { simpleItem { name value } } } }`);
    expect(result).toEqual({
      data: {
        call: {
          source: { token: 'vs-1', framerate: 25, otherAttributes: { vendor: 'acme' }, extension: { otherElements: { Lens: ['wide', 'tele'] } } },
          items: { simpleItem: [{ name: 'IsMotion', value: 'true' }] },
        },
      },
    });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:Source token="vs-2" vendor="acme"><t:Framerate>30</t:Framerate>'
      + '<t:Extension><t:Lens>wide</t:Lens><t:Lens>tele</t:Lens></t:Extension></t:Source></t:CallRequest>']);
  });

  it("EWS's ids: an extension of an empty abstract type, its attributes unqualified as the schema's default says", async () => {
    const { schema, sent } = await soapSchema('ews', wsdl(`
      <xs:complexType name="BaseItemIdType" abstract="true"/>
      <xs:complexType name="ItemIdType"><xs:complexContent><xs:extension base="t:BaseItemIdType">
        <xs:attribute name="Id" type="xs:string" use="required"/>
        <xs:attribute name="ChangeKey" type="xs:string" use="optional"/>
      </xs:extension></xs:complexContent></xs:complexType>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="ItemId" type="t:ItemIdType"/><xs:element name="AnyId" type="t:BaseItemIdType" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="ItemId" type="t:ItemIdType"/><xs:element name="AnyId" type="t:BaseItemIdType" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>`),
    '<m:CallResponse xmlns:m="urn:t"><m:ItemId Id="AAMk=" ChangeKey="CQAA"/><m:AnyId/></m:CallResponse>');
    const result = await run(schema, 'mutation { call(itemId: { id: "AAMk=", changeKey: "CQAA" }, anyId: {}) { itemId { id changeKey } anyId } }');
    expect(result).toEqual({ data: { call: { itemId: { id: 'AAMk=', changeKey: 'CQAA' }, anyId: {} } } });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:ItemId Id="AAMk=" ChangeKey="CQAA"></t:ItemId><t:AnyId></t:AnyId></t:CallRequest>']);
    // `Type` goes from the names; the empty base is JSON where it is used, and no type of its own.
    expect(sdl(schema, 'ItemId')).toBe('type ItemId {\n  id: String!\n  changeKey: String\n}');
    expect(schema.getType('BaseItemId')).toBeUndefined();
  });

  it('reads an empty response element as an answer whose optional parts are all absent', async () => {
    const { schema } = await soapSchema('empty', wsdl(`
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="Note" type="xs:string" minOccurs="0"/><xs:element name="Line" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>`),
    '<t:CallResponse xmlns:t="urn:t"/>');
    expect(await run(schema, 'mutation { call(id: "1") { note line } }')).toEqual({ data: { call: { note: null, line: [] } } });
  });

  it('a restriction of simple content: its text an enumeration, an attribute of the base prohibited, one redeclared', async () => {
    const { schema, sent } = await soapSchema('measures', wsdl(`
      <xs:attribute name="source" type="xs:string"/>
      <xs:complexType name="Measure"><xs:simpleContent><xs:extension base="xs:string">
        <xs:attribute name="unit" type="xs:string"/>
        <xs:attribute name="precision" type="xs:int"/>
        <xs:attribute ref="t:source"/>
      </xs:extension></xs:simpleContent></xs:complexType>
      <xs:complexType name="Level"><xs:simpleContent><xs:restriction base="t:Measure">
        <xs:enumeration value="LOW"/><xs:enumeration value="HIGH"/>
        <xs:attribute name="precision" use="prohibited"/>
        <xs:attribute name="unit" type="xs:string" use="required"/>
      </xs:restriction></xs:simpleContent></xs:complexType>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Level" type="t:Level"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="Level" type="t:Level" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>`, 'elementFormDefault="qualified" attributeFormDefault="qualified"'),
    '<t:CallResponse xmlns:t="urn:t"><t:Level t:unit="band" t:source="probe-4">HIGH</t:Level></t:CallResponse>');
    expect(sdl(schema, 'Level')).toBe('type Level {\n  value: LevelValue\n  source: String\n  unit: String!\n}');
    const result = await run(schema, 'mutation { call(level: { value: LOW, unit: "band", source: "probe-2" }) { value unit source } }');
    expect(result).toEqual({ data: { call: [{ value: 'HIGH', unit: 'band', source: 'probe-4' }] } });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:Level t:source="probe-2" t:unit="band">LOW</t:Level></t:CallRequest>']);
  });

  it("a global attribute of another schema's namespace, written with the prefix that schema gives it, which the envelope declares", async () => {
    const contract = wsdl(`
      <xs:complexType name="Item"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute ref="a:trace"/></xs:extension></xs:simpleContent></xs:complexType>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Item" type="t:Item"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="Item" type="t:Item"/></xs:sequence></xs:complexType></xs:element>`, 'elementFormDefault="qualified" xmlns:a="urn:audit"')
      .replace('</types>', '<xs:schema targetNamespace="urn:audit"><xs:attribute name="trace" type="xs:string"/></xs:schema></types>');
    const { schema, sent, envelopes } = await soapSchema('audit', contract, '<t:CallResponse xmlns:t="urn:t" xmlns:z="urn:audit"><t:Item z:trace="tr-9">pallet</t:Item></t:CallResponse>');
    const result = await run(schema, 'mutation { call(item: { value: "crate", trace: "tr-1" }) { value trace } }');
    expect(result).toEqual({ data: { call: { value: 'pallet', trace: 'tr-9' } } });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:Item a:trace="tr-1">crate</t:Item></t:CallRequest>']);
    expect(envelopes[0]).toContain('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"  xmlns:t="urn:t" xmlns:a="urn:audit">');
  });

  it('a qualified attribute of a namespace that only an imported XSD names declares its own prefix', async () => {
    writeFileSync(join(folder, 'types.xsd'), `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns:b="urn:b" elementFormDefault="qualified">
      <xs:import namespace="urn:b" schemaLocation="b.xsd"/>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Item" type="b:Item"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence><xs:element name="Item" type="b:Item"/></xs:sequence></xs:complexType></xs:element>
    </xs:schema>`);
    writeFileSync(join(folder, 'b.xsd'), `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:b" attributeFormDefault="qualified">
      <xs:complexType name="Item"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute name="trace" type="xs:string"/></xs:extension></xs:simpleContent></xs:complexType>
    </xs:schema>`);
    const contract = wsdl('<xs:import namespace="urn:t" schemaLocation="types.xsd"/>').replace(' targetNamespace="urn:t" elementFormDefault="qualified"', ' targetNamespace="urn:t:wsdl"');
    const { schema, sent } = await soapSchema('imported', contract, '<t:CallResponse xmlns:t="urn:t" xmlns:z="urn:b"><t:Item z:trace="tr-9">pallet</t:Item></t:CallResponse>');
    const result = await run(schema, 'mutation { call(item: { value: "crate", trace: "tr-1" }) { value trace } }');
    expect(result).toEqual({ data: { call: { value: 'pallet', trace: 'tr-9' } } });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:Item xmlns:sba="urn:b" sba:trace="tr-1">crate</t:Item></t:CallRequest>']);
  });

  it("names types without Workday's `Type` unless another type has that name, and apart when two have one name", async () => {
    const contract = wsdl(`
      <xs:complexType name="Response_FilterType"><xs:sequence><xs:element name="Page" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:complexType name="Response_Filter"><xs:sequence><xs:element name="Count" type="xs:int"/></xs:sequence></xs:complexType>
      <xs:complexType name="Worker_DataType"><xs:sequence><xs:element name="Name" type="xs:string"/></xs:sequence></xs:complexType>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence><xs:element name="Id" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence>
        <xs:element name="Filter" type="t:Response_FilterType"/><xs:element name="Other" type="t:Response_Filter"/>
        <xs:element name="Worker" type="t:Worker_DataType"/><xs:element name="Other_Worker" type="o:Worker_DataType"/>
      </xs:sequence></xs:complexType></xs:element>`, 'elementFormDefault="qualified" xmlns:o="urn:o"')
      .replace('</types>', '<xs:schema targetNamespace="urn:o"><xs:complexType name="Worker_DataType"><xs:sequence><xs:element name="Badge" type="xs:string"/></xs:sequence></xs:complexType></xs:schema></types>');
    const { schema } = await soapSchema('names', contract, '');
    expect(sdl(schema, 'CallResult', 'ResponseFilterType', 'ResponseFilter', 'WorkerData', 'WorkerData2')).toBe(`type CallResult {
  filter: ResponseFilterType!
  other: ResponseFilter!
  worker: WorkerData!
  otherWorker: WorkerData2!
}
type ResponseFilterType {
  page: Int!
}
type ResponseFilter {
  count: Int!
}
type WorkerData {
  name: String!
}
type WorkerData2 {
  badge: String!
}`);
  });

  it('an element reference, an untyped element (anyType), a choice of two elements of one name, and an empty answer', async () => {
    const { schema, sent } = await soapSchema('refs', wsdl(`
      <xs:element name="Note" type="xs:string"/>
      <xs:element name="CallRequest"><xs:complexType><xs:sequence>
        <xs:element ref="t:Note"/>
        <xs:element name="Payload"/>
        <xs:choice><xs:element name="Code" type="xs:string"/><xs:sequence><xs:element name="Code" type="xs:string"/><xs:element name="Reason" type="xs:string"/></xs:sequence></xs:choice>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="CallResponse"><xs:complexType><xs:sequence/></xs:complexType></xs:element>`),
    '<t:CallResponse xmlns:t="urn:t"/>');
    expect(sdl(schema, 'Mutation')).toBe('type Mutation {\n  call(note: String!, payload: JSON!, code: [String!], reason: String): JSON\n}');
    const result = await run(schema, 'mutation { call(note: "n", payload: { Line: ["a", "b"] }, code: ["C1"], reason: "r") }');
    expect(result).toEqual({ data: { call: {} } });
    expect(sent).toEqual(['<t:CallRequest xmlns:t="urn:t" xmlns="urn:t"><t:Note>n</t:Note><t:Payload><t:Line>a</t:Line><t:Line>b</t:Line></t:Payload><t:Code>C1</t:Code><t:Reason>r</t:Reason></t:CallRequest>']);
  });
});
