/**
 * The copies of an OpenAPI contract that Mesh's handler reads (gateway/compose/contracts.ts), as `source:add`
 * would pin them. What the handler makes of them is tested end to end in bring-your-own.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readContract } from '../gateway/compose/contracts.js';

const folder = mkdtempSync(join(tmpdir(), 'switchboard-contracts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The prepared copy of a YAML contract, read back. */
function prepared(yaml: string): { main: string; document: Record<string, any> } {
  const path = join(folder, 'api.yaml');
  writeFileSync(path, yaml);
  const contract = readContract(path);
  const pin = contract.pins.find((each) => each.to === contract.main);
  if (!pin || !('text' in pin)) throw new Error(`no prepared copy: ${JSON.stringify(contract.pins)}`);
  return { main: contract.main, document: JSON.parse(pin.text) };
}

const HEAD = `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - { name: Api-Version, in: header, schema: { type: string, enum: ['2024-04-10', '2023-10-16'], default: '2024-04-10' } }
        - { name: since, in: query, schema: { type: string, format: date, default: '2020-01-01' } }
      responses:
        '200':
          description: ok
          content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } }
components:
  schemas:
`;

describe('the copies of an OpenAPI contract that Mesh reads', () => {
  it('are JSON, so that a string that looks like a date stays a string for a YAML 1.1 reader', () => {
    const { main, document } = prepared(`${HEAD}    Thing: { type: object, properties: { id: { type: string } } }\n`);
    expect(main).toBe('prepared/api.yaml');
    const [version, since] = document.paths['/things'].get.parameters;
    expect(version.schema).toEqual({ type: 'string', enum: ['2024-04-10', '2023-10-16'], default: '2024-04-10', title: 'ListThingsApiVersion' });
    expect(since.schema.default).toBe('2020-01-01');
  });

  it('make an anyOf of objects a union, and a null alternative nullable', () => {
    const { document } = prepared(`${HEAD}    Card: { type: object, properties: { last4: { type: string } } }
    Bank: { type: object, properties: { iban: { type: string } } }
    Thing:
      type: object
      required: [destination]
      properties:
        destination: { anyOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }, { type: 'null' }] }
`);
    expect(document.components.schemas.Thing.properties.destination).toEqual({
      oneOf: [{ $ref: '#/components/schemas/Card' }, { $ref: '#/components/schemas/Bank' }],
      nullable: true,
      title: 'ThingDestination',
    });
  });

  it('leave an anyOf that only constrains the properties beside it, and one of scalars alone', () => {
    const { document } = prepared(`${HEAD}    Thing:
      type: object
      properties:
        email: { type: string }
        phone: { type: string }
        code: { anyOf: [{ type: string }, { type: integer }] }
      anyOf:
        - { type: object, required: [email] }
        - { type: object, required: [phone] }
`);
    expect(document.components.schemas.Thing.anyOf).toEqual([{ type: 'object', required: ['email'] }, { type: 'object', required: ['phone'] }]);
    expect(document.components.schemas.Thing.properties.code).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }], title: 'ThingCode' });
  });
});
