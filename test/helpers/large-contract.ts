/**
 * A large OpenAPI 3.0 document, in the shape of a big provider's API: `schemas` component schemas
 * (objects with scalars, an enum, a list and references to two others of their family of ten) and a GET for every fourth
 * one. Written on demand so the repository does not carry megabytes of generated YAML.
 *
 *   writeLargeOpenApi('/tmp/big.json', { schemas: 3000 });   // ~ 750 operations
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
