// `npm run build`: rebuild the composition (.mesh/) from .meshrc.yaml and the pinned contracts.
import { ensureMeshBuilt } from '../gateway/build-mesh.js';

try {
  ensureMeshBuilt({ force: true });
  console.log('Built the composition into .mesh/');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
