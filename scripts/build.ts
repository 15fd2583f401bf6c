// `npm run build`: rebuild the composition (.mesh/) from .meshrc.yaml and the pinned contracts, and
// the bundled gateway that `npm start` runs. With --if-stale (what `npm start` does first), only
// what is older than its inputs is rebuilt.
import { ensureGatewayBundled, ensureMeshBuilt } from '../gateway/compose/build-mesh.js';

const force = !process.argv.includes('--if-stale');
try {
  if (ensureMeshBuilt({ force }) === 'built') console.log('Built the composition into .mesh/');
  if ((await ensureGatewayBundled({ force })) === 'built') console.log('Bundled the gateway into .mesh/start.mjs, and the demo launcher into .mesh/demo.mjs');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
