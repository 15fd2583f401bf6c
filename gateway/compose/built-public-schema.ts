/**
 * The public schema of the built composition (.mesh/), printed as generated/schema.graphql holds it:
 * what `npm run generate` writes and `npm run schema:check` compares with the reviewed one.
 */
import { toPublicSchema } from './public-schema.js';
import { printPublicSchema } from './print-schema.js';

export async function loadPublicSchema(): Promise<string> {
  // Building the schema reads no environment and calls no upstream.
  const { getBuiltMesh } = (await import('../../.mesh/index.js' as string)) as { getBuiltMesh(): Promise<{ schema: import('graphql').GraphQLSchema; destroy(): void }> };
  const mesh = await getBuiltMesh();
  const printed = printPublicSchema(toPublicSchema(mesh.schema));
  mesh.destroy();
  return printed;
}
