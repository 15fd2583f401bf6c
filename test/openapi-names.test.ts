/**
 * The names Switchboard gives the types an OpenAPI contract leaves unnamed (gateway/compose/openapi-names.ts),
 * before Mesh's handler would name them by their position. What they look like in the unified schema
 * is tested end to end in bring-your-own.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nameInlineSchemas } from '../gateway/compose/openapi-names.js';
import { FIXTURES } from './helpers/contract-upstreams.js';

const STATUS = { type: 'string', enum: ['open', 'closed'] };

function operation(parameters: unknown[], response: unknown) {
  return { parameters, responses: { '200': { description: 'ok', content: { 'application/json': { schema: response } } } } };
}

describe('naming what an OpenAPI contract leaves unnamed', () => {
  it('names enums, constants, patterned strings, inline objects and unions from the words around them', () => {
    const document = {
      openapi: '3.1.0',
      paths: {
        '/tickets': {
          get: {
            operationId: 'list_tickets',
            ...operation(
              [{ name: 'priority', in: 'query', schema: { type: 'integer', enum: [1, 2, 3] } }],
              { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Ticket' } }, cursor: { type: ['string', 'null'], pattern: '^[a-z]+$' } } },
            ),
          },
        },
      },
      components: {
        schemas: {
          Ticket: {
            allOf: [
              { $ref: '#/components/schemas/Base' },
              { type: 'object', properties: { status: { ...STATUS }, assignee: { type: 'object', properties: { team: { type: 'string', enum: ['a', 'b'] } } } } },
            ],
          },
          Base: { type: 'object', properties: { kind: { const: 'base' }, labels: { type: 'array', items: { type: 'string', minLength: 1 } }, extra: { type: 'object', additionalProperties: { type: 'string', maxLength: 9 } } } },
          Attachment: { oneOf: [{ type: 'object', properties: { url: { type: 'string' } } }, { type: 'object', properties: { bytes: { type: 'string' } } }] },
        },
      },
    };
    expect(nameInlineSchemas(document)).toBe(true);
    const { Ticket, Base, Attachment } = document.components.schemas;
    const answer = document.paths['/tickets'].get.responses['200'].content['application/json'].schema as { title?: string; properties: { cursor: { title?: string } } };
    const ticket = Ticket.allOf[1] as { title?: string; properties: { status: { title?: string }; assignee: { title?: string; properties: { team: { title?: string } } } } };
    expect({
      ticketPart: ticket.title,
      status: ticket.properties.status.title,
      assignee: ticket.properties.assignee.title,
      team: ticket.properties.assignee.properties.team.title,
      kind: (Base.properties.kind as { title?: string }).title,
      label: (Base.properties.labels.items as { title?: string }).title,
      extraValue: (Base.properties.extra.additionalProperties as { title?: string }).title,
      attachmentParts: Attachment.oneOf.map((part) => (part as { title?: string }).title),
      priority: (document.paths['/tickets'].get.parameters[0] as { schema: { title?: string } }).schema.title,
      answer: answer.title,
      cursor: answer.properties.cursor.title,
    }).toEqual({
      // allOf's parts are merged into Ticket, which is named by its component.
      ticketPart: undefined,
      status: 'TicketStatus',
      assignee: 'TicketAssignee',
      team: 'TicketAssigneeTeam',
      kind: 'BaseKind',
      label: 'BaseLabels',
      extraValue: 'BaseExtraValue',
      attachmentParts: ['Attachment1', 'Attachment2'],
      priority: 'ListTicketsPriority',
      answer: 'ListTicketsResponse',
      cursor: 'ListTicketsResponseCursor',
    });
  });

  it('declares an enum met twice once, so that a Swagger 2.0 filter and the field it filters are one enum', () => {
    const document = {
      swagger: '2.0',
      paths: { '/tickets': { get: { operationId: 'listTickets', parameters: [{ name: 'status', in: 'query', required: false, ...STATUS }, { name: 'limit', in: 'query', type: 'integer', default: 20 }], responses: {} } } },
      definitions: { Ticket: { type: 'object', properties: { status: { ...STATUS } } } } as Record<string, unknown>,
    };
    expect(nameInlineSchemas(document)).toBe(true);
    expect(document.paths['/tickets'].get.parameters).toEqual([
      // A Swagger 2.0 parameter is its own schema: its type moves into one, as OpenAPI 3 writes it.
      { name: 'status', in: 'query', required: false, schema: { $ref: '#/definitions/TicketStatus' } },
      // Nothing to name: left as it was.
      { name: 'limit', in: 'query', type: 'integer', default: 20 },
    ]);
    expect(document.definitions).toEqual({
      Ticket: { type: 'object', properties: { status: { $ref: '#/definitions/TicketStatus' } } },
      TicketStatus: STATUS,
    });
  });

  it('never takes a component\'s name, a title, or a name it gave already, across the files of a contract', () => {
    const main = {
      openapi: '3.0.3',
      paths: { '/a': { get: { operationId: 'getA', ...operation([], { $ref: '#/components/schemas/Ticket' }) } } },
      components: { schemas: { Ticket: { type: 'object', properties: { status: { type: 'string', enum: ['x'] } } }, TicketStatus: { type: 'string' } } },
    };
    const common = { components: { schemas: { Thing: { type: 'object', title: 'TicketStatus2', properties: { kind: { type: 'string', enum: ['y'], description: 'What it is' } } } } } };
    expect(nameInlineSchemas(main, common)).toBe(true);
    expect(main.components.schemas.Ticket.properties.status).toEqual({ type: 'string', enum: ['x'], title: 'TicketStatus3' });
    // Named after its schema's title, which is what the handler calls the type.
    expect(common.components.schemas.Thing.properties.kind).toMatchObject({ title: 'TicketStatus2Kind' });
  });

  it('keeps two properties\' enums apart, whatever their values: a product\'s status is not a user\'s', () => {
    const document = {
      openapi: '3.0.3',
      paths: { '/products': { get: { operationId: 'listProducts', ...operation([{ name: 'status', in: 'query', schema: { ...STATUS } }], { $ref: '#/components/schemas/Product' }) } } },
      components: { schemas: { User: { type: 'object', properties: { status: { ...STATUS } } }, Product: { type: 'object', properties: { status: { ...STATUS } } } } as Record<string, { type: string; properties: { status: unknown } }> },
    };
    nameInlineSchemas(document);
    expect(document.components.schemas.Product!.properties.status).toEqual({ ...STATUS, title: 'ProductStatus' });
    // The filter takes the first property enum of its name and values (where two fit, it cannot tell
    // which it filters on), which becomes a schema of its own that both refer to.
    expect(document.paths['/products'].get.parameters[0]).toEqual({ name: 'status', in: 'query', schema: { $ref: '#/components/schemas/UserStatus' } });
    expect(document.components.schemas.User!.properties.status).toEqual({ $ref: '#/components/schemas/UserStatus' });
    expect(document.components.schemas.UserStatus).toEqual(STATUS);
  });

  it('gives the same name to the same inline schema met in two answers, so that they are one type', () => {
    const address = () => ({ title: 'Address', type: 'object', properties: { country: { type: 'string', enum: ['IE', 'FR'] } } });
    const document = {
      openapi: '3.0.3',
      paths: {
        '/customer': { get: { operationId: 'getCustomer', ...operation([], { type: 'object', properties: { address: address() } }) } },
        '/order': { get: { operationId: 'getOrder', ...operation([], { type: 'object', properties: { address: address() } }) } },
      },
    };
    nameInlineSchemas(document);
    type Answer = { title?: string; properties: { address: { properties: { country: unknown } } } };
    const answer = (path: '/customer' | '/order') => document.paths[path].get.responses['200'].content['application/json'].schema as Answer;
    expect(answer('/customer').properties.address).toEqual(answer('/order').properties.address);
    expect(answer('/order').properties.address.properties.country).toEqual({ type: 'string', enum: ['IE', 'FR'], title: 'AddressCountry' });
    // The answers themselves differ by operation.
    expect([answer('/customer').title, answer('/order').title]).toEqual(['GetCustomerResponse', 'GetOrderResponse']);
  });

  it('leaves a reference with a description or a default beside it (allOf of one) for the handler to unwrap', () => {
    const document = {
      openapi: '3.0.3',
      paths: {},
      components: { schemas: { Currency: { type: 'string', enum: ['eur', 'usd'] }, Charge: { type: 'object', properties: { currency: { allOf: [{ $ref: '#/components/schemas/Currency' }], default: 'eur' } } } } },
    };
    expect(nameInlineSchemas(document)).toBe(false);
  });

  it('leaves titles, references and plain types alone, and says when it gave no name', () => {
    const document = {
      openapi: '3.0.3',
      paths: { '/a': { get: { operationId: 'getA', ...operation([{ name: 'id', in: 'path', schema: { type: 'string' } }], { $ref: '#/components/schemas/A' }) } } },
      components: { schemas: { A: { type: 'object', properties: { state: { title: 'Lifecycle', ...STATUS }, count: { type: 'integer' }, b: { $ref: '#/components/schemas/A' } } } } },
    };
    const before = JSON.stringify(document);
    expect(nameInlineSchemas(document)).toBe(false);
    expect(JSON.stringify(document)).toBe(before);
  });

  it('titles a provider\'s shape named like a type Mesh makes (String, JSON) after it, and leaves a plain one alone', () => {
    const document = parse(readFileSync(`${FIXTURES}scalar-named-shapes.openapi.yaml`, 'utf8'));
    expect(nameInlineSchemas(document)).toBe(true);
    expect(document.components.schemas).toEqual({
      String: { type: 'string', minLength: 1, maxLength: 64, title: 'StringValue' },
      // Mesh makes GraphQL's own Boolean of it: no type of that name.
      Boolean: { type: 'boolean' },
      JSON: { type: 'object', properties: { raw: { type: 'string' } }, title: 'JSONValue' },
      Note: {
        type: 'object',
        properties: { id: { $ref: '#/components/schemas/String' }, pinned: { $ref: '#/components/schemas/Boolean' }, attachment: { $ref: '#/components/schemas/JSON' } },
      },
    });
  });

  it('gives a title the contract gave that is a type Mesh makes another name, which none of its own takes', () => {
    const document = {
      openapi: '3.0.3',
      paths: {},
      components: { schemas: { Code: { title: 'ID', type: 'string', pattern: '^[a-z]+$' }, IDValue: { type: 'string' } } },
    };
    expect(nameInlineSchemas(document)).toBe(true);
    expect(document.components.schemas.Code).toEqual({ title: 'IDValue2', type: 'string', pattern: '^[a-z]+$' });
  });
});
