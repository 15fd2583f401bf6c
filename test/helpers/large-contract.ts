/**
 * A large OpenAPI 3.0 document, in the shape of a big provider's API: `schemas` component schemas
 * (objects with scalars, an enum, a list and references to two others of their family of ten) and a GET for every fourth
 * one. Written on demand so the repository does not carry megabytes of generated YAML.
 *
 *   writeLargeOpenApi('/tmp/big.json', { schemas: 3000 });   // ~ 750 operations
 *   writeLargeWsdl('/tmp/big.wsdl', { operations: 250 });      // ~ 400 KB
 */
import { writeFileSync } from 'node:fs';

export function writeLargeOpenApi(path: string, { schemas }: { schemas: number }): { operations: number; bytes: number } {
  const name = (index: number) => `Resource${String(index).padStart(5, '0')}`;
  const components: Record<string, unknown> = {};
  for (let index = 0; index < schemas; index++) {
    components[name(index)] = {
      type: 'object',
      required: ['id', 'state'],
      properties: {
        id: { type: 'string' },
        state: { type: 'string', enum: ['draft', 'active', 'archived'] },
        amount: { type: 'number' },
        count: { type: 'integer', format: 'int32' },
        createdAt: { type: 'string', format: 'date-time' },
        labels: { type: 'array', items: { type: 'string' } },
        // References stay within a family of ten, as a provider's resources refer to their neighbours.
        parent: { $ref: `#/components/schemas/${name(index - (index % 10))}` },
        related: { type: 'array', items: { $ref: `#/components/schemas/${name(index - (index % 10) + ((index + 3) % 10) < schemas ? index - (index % 10) + ((index + 3) % 10) : index)}` } },
      },
    };
  }
  const paths: Record<string, unknown> = {};
  for (let index = 0; index < schemas; index += 4) {
    paths[`/resources${index}/{id}`] = {
      get: {
        operationId: `get${name(index)}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${name(index)}` } } } } },
      },
    };
  }
  const text = JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'A large provider API', version: '1.0.0' },
    servers: [{ url: 'http://127.0.0.1:9/large' }],
    paths,
    components: { schemas: components },
  });
  writeFileSync(path, text);
  return { operations: Object.keys(paths).length, bytes: text.length };
}

/**
 * A large WSDL, in the shape of a carrier's or an ERP's: `operations` document/literal operations,
 * each with its request and response elements and a record type of its own (scalars of several XSD
 * built-ins, an enumeration, a repeated child), one SOAP 1.1 service.
 */
export function writeLargeWsdl(path: string, { operations }: { operations: number }): { bytes: number } {
  const name = (index: number) => `Op${String(index).padStart(4, '0')}`;
  const types: string[] = [];
  const messages: string[] = [];
  const portType: string[] = [];
  const binding: string[] = [];
  for (let index = 0; index < operations; index++) {
    const op = name(index);
    types.push(`
      <xs:simpleType name="${op}State"><xs:restriction base="xs:string"><xs:enumeration value="OPEN"/><xs:enumeration value="CLOSED"/></xs:restriction></xs:simpleType>
      <xs:complexType name="${op}Record">
        <xs:sequence>
          <xs:element name="Id" type="xs:string"/>
          <xs:element name="State" type="tns:${op}State"/>
          <xs:element name="Quantity" type="xs:int"/>
          <xs:element name="Weight" type="xs:decimal" minOccurs="0"/>
          <xs:element name="UpdatedAt" type="xs:dateTime"/>
          <xs:element name="Note" type="xs:string" minOccurs="0" maxOccurs="unbounded"/>
        </xs:sequence>
      </xs:complexType>
      <xs:element name="Get${op}Request"><xs:complexType><xs:sequence><xs:element name="Id" type="xs:string"/><xs:element name="Limit" type="xs:int" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="Get${op}Response"><xs:complexType><xs:sequence><xs:element name="Record" type="tns:${op}Record" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>`);
    messages.push(`
  <message name="Get${op}Input"><part name="parameters" element="tns:Get${op}Request"/></message>
  <message name="Get${op}Output"><part name="parameters" element="tns:Get${op}Response"/></message>`);
    portType.push(`
    <operation name="Get${op}"><input message="tns:Get${op}Input"/><output message="tns:Get${op}Output"/></operation>`);
    binding.push(`
    <operation name="Get${op}"><soap:operation soapAction="urn:large-erp/Get${op}"/><input><soap:body use="literal"/></input><output><soap:body use="literal"/></output></operation>`);
  }
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<definitions name="LargeErp" targetNamespace="urn:large-erp" xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:tns="urn:large-erp"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/">
  <types>
    <xs:schema targetNamespace="urn:large-erp" elementFormDefault="qualified">${types.join('')}
    </xs:schema>
  </types>${messages.join('')}
  <portType name="LargeErpPortType">${portType.join('')}
  </portType>
  <binding name="LargeErpSoap" type="tns:LargeErpPortType">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${binding.join('')}
  </binding>
  <service name="LargeErpService">
    <port name="LargeErpSoap" binding="tns:LargeErpSoap"><soap:address location="https://erp.example/soap"/></port>
  </service>
</definitions>
`;
  writeFileSync(path, text);
  return { bytes: text.length };
}
