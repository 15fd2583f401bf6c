// The suites run the built composition, and the end-to-end ones the bundled gateway `npm start`
// runs: build both once, before any suite starts.
import { ensureGatewayBundled, ensureMeshBuilt } from '../gateway/compose/build-mesh.js';

export default async function setup() {
  ensureMeshBuilt();
  await ensureGatewayBundled();
}
