/**
 * The copies of an OpenAPI contract that Mesh's handler reads (gateway/compose/contracts.ts), as `source:add`
 * would pin them. What the handler makes of them is tested end to end in bring-your-own.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readContract } from '../gateway/compose/contracts.js';
import { FIXTURES } from './helpers/contract-upstreams.js';

const folder = mkdtempSync(join(tmpdir(), 'switchboard-contracts-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** The prepared copy of a YAML contract, read back. */
function prepared(yaml: string): { main: string; document: Record<string, any> } {
  const path = join(folder, 'api.yaml');
  writeFileSync(path, yaml);
  return preparedCopy(path);
}

const HEAD = `openapi: 3.1.0
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - { name: Api-Version, in: header, schema: { type: string, enum: ['2024-04-10', '2023-10-16'], default: '2024-04-10' } }
        - { name: since, in: query, schema: { type: string, default: '2020-01-01' } }
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

  it('keep a string without a format a string: its example, which the handler would guess a format from, is x-example', () => {
    const { document } = prepared(`${HEAD}    Thing:
      type: object
      properties:
        at: { type: string, description: 'When, in GMT', example: '2025-10-15T13:50:58.963Z' }
        seen: { type: string, format: date-time, example: '2025-10-15T13:50:58.963Z' }
        tags: { type: array, items: { type: string, examples: ['https://example.com/a'] } }
`);
    expect(document.components.schemas.Thing.properties).toEqual({
      at: { type: 'string', description: 'When, in GMT', 'x-example': '2025-10-15T13:50:58.963Z' },
      seen: { type: 'string', format: 'date-time', example: '2025-10-15T13:50:58.963Z' },
      tags: { type: 'array', items: { type: 'string', 'x-examples': ['https://example.com/a'] } },
    });
  });

  it('write a reference whose pointer is percent-encoded as a URI writes it as a plain pointer', () => {
    const { document } = preparedCopy(`${FIXTURES}encoded-refs.openapi.yaml`);
    expect(document.paths['/greenhouses/{greenhouseId}/sensors'].get.parameters).toEqual([{ $ref: '#/paths/~1greenhouses~1{greenhouseId}/get/parameters/0' }]);
    expect(document.paths['/greenhouses/{greenhouseId}/sensors'].get.responses['200'].content['application/json'].schema.items)
      .toEqual({ $ref: '#/paths/~1greenhouses~1{greenhouseId}/get/responses/200/content/application~1json/schema' });
  });

  it('refer every plain date to one Date of the document, a string of that shape, which Mesh sends as it is', () => {
    const { main, document } = preparedCopy(`${FIXTURES}ferry-sailings.openapi.yaml`);
    expect(main).toBe('prepared/ferry-sailings.openapi.yaml');
    const [harbour, day] = document.paths['/sailings'].get.parameters;
    expect(harbour.schema).toEqual({ type: 'string' });
    expect(day).toEqual({ name: 'day', in: 'query', required: true, description: 'The day of departure, YYYY-MM-DD', schema: { $ref: '#/components/schemas/Date' } });
    const sailing = document.paths['/sailings'].get.responses['200'].content['application/json'].schema.items;
    expect(sailing.properties).toEqual({ departs: { type: 'string', format: 'date-time' }, day: { $ref: '#/components/schemas/Date' }, vessel: { type: 'string' } });
    expect(document.components.schemas).toEqual({ Date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, YYYY-MM-DD (RFC 3339 full-date).' } });
  });

  it('make a Swagger 2.0 date parameter and the contract\'s own plain Date the one date schema; a Date of another kind keeps its name', () => {
    const swagger = prepared(`swagger: '2.0'
info: { title: t, version: '1' }
paths:
  /sailings:
    get:
      parameters:
        - { name: day, in: query, type: string, format: date, required: true }
        - { name: week, in: query, type: string, format: date, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }
      responses: { '200': { description: ok, schema: { $ref: '#/definitions/Date' } } }
definitions:
  Date: { type: string, format: date, description: 'A day at the harbour' }
`).document;
    expect(swagger.paths['/sailings'].get.parameters).toEqual([
      { name: 'day', in: 'query', required: true, schema: { $ref: '#/definitions/Date' } },
      // A patterned date is a type of its own already, which Mesh parses as a string.
      { name: 'week', in: 'query', schema: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', title: 'GetSailingsWeek' } },
    ]);
    expect(swagger.definitions).toEqual({ Date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A day at the harbour' } });
    const other = prepared(`${HEAD}    Thing: { type: object, properties: { on: { type: string, format: date } } }
    Date: { type: object, properties: { day: { type: integer } } }
`).document;
    expect(other.components.schemas.Thing.properties.on).toEqual({ $ref: '#/components/schemas/CalendarDate' });
    expect(other.components.schemas.Date).toEqual({ type: 'object', properties: { day: { type: 'integer' } } });
    expect(other.components.schemas.CalendarDate.pattern).toBe('^\\d{4}-\\d{2}-\\d{2}$');
  });
});

/** The prepared copy of the contract at `path`, read back. */
function preparedCopy(path: string): { main: string; document: Record<string, any> } {
  const contract = readContract(path);
  const pin = contract.pins.find((each) => each.to === contract.main);
  if (!pin || !('text' in pin)) throw new Error(`no prepared copy: ${JSON.stringify(contract.pins)}`);
  return { main: contract.main, document: JSON.parse(pin.text) };
}
