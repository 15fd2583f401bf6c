/**
 * Runs the demo warehouse ERP on its own: `npx tsx sources/inventory/service/server.ts`
 * (PORT, INVENTORY_USERNAME, INVENTORY_PASSWORD).
 */
import { runService } from '../../world/run-service.js';
import { INVENTORY_PATH, startInventoryService } from './app.js';

await runService('inventory', (port, credentials) => startInventoryService({
  port,
  username: credentials.inventoryUsername,
  password: credentials.inventoryPassword,
}), INVENTORY_PATH);
