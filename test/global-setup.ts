// The suites run the built composition: build it once, before any of them starts.
import { ensureMeshBuilt } from '../gateway/build-mesh.js';

export default function setup() {
  ensureMeshBuilt();
}
