// The public schema is an API: any change to it must show up as a diff of generated/schema.graphql.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { loadPublicSchema } from '../gateway/compose/built-public-schema.js';

it('matches generated/schema.graphql (run `npm run generate` after an intended change)', async () => {
  const built = await loadPublicSchema();
  const committed = readFileSync(new URL('../generated/schema.graphql', import.meta.url), 'utf8');
  // toEqual on strings prints a line diff when they differ.
  expect(built).toEqual(committed);
});
