/**
 * Runs the demo warehouse ERP on its own: `npx tsx demo/inventory/server.ts`
 * (PORT, INVENTORY_USERNAME, INVENTORY_PASSWORD, INVENTORY_WEBHOOK_SECRET,
 * and WEBHOOK_URL: where stock changes are pushed).
 */
import { runService } from '../world/run-service.js';
import { INVENTORY_PATH, startInventoryService } from './app.js';

await runService('inventory', (port, credentials) => startInventoryService({
  port,
  username: credentials.inventoryUsername,
  password: credentials.inventoryPassword,
  webhookSecret: credentials.inventoryWebhookSecret,
  webhookUrl: process.env.WEBHOOK_URL || undefined,
}), INVENTORY_PATH);
