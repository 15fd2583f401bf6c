/** Runs the demo catalog on its own: `npx tsx demo/catalog/server.ts` (PORT, CATALOG_API_KEY). */
import { runService } from '../world/run-service.js';
import { startCatalogService } from './app.js';

await runService('catalog', (port, credentials) => startCatalogService({ port, apiKey: credentials.catalogApiKey }));
