/**
 * The `GetStockLevels` operation of inventory.wsdl: stock per warehouse for at most 250 SKUs, in
 * request order, unknown SKUs left out. A SKU locked for a stock audit fails the whole call with a
 * Fault, as the legacy ERP does.
 *
 *   const getStockLevels = createGetStockLevels(world);
 *   getStockLevels({ Sku: ['SKU-0002', 'SKU-0001'] }); // { StockLevel: [{ Sku: 'SKU-0002', Total, Warehouses: [{ Warehouse, Quantity }] }, ...] }
 */
import type { StockRecord, World } from '../world/seed.js';
import { indexBy, pickAll } from '../world/lookup.js';
import { soapFault } from './soap-faults.js';

/** The most SKUs one call may ask for (`maxOccurs` in inventory.wsdl). */
export const MAX_SKUS = 250;

export interface StockLevel {
  Sku: string;
  Total: number;
  Warehouses: Array<{ Warehouse: string; Quantity: number }>;
}

export function createGetStockLevels(world: World): (request: unknown) => { StockLevel: StockLevel[] } {
  const stock = indexBy(world.stock, (record) => record.sku);
  return (request) => {
    const skus = requestedSkus(request);
    if (skus.length === 0) {
      throw soapFault('soap:Client', 'GetStockLevels needs at least one Sku.', { Code: 'INVALID_REQUEST' });
    }
    if (skus.length > MAX_SKUS) {
      throw soapFault('soap:Client', `GetStockLevels takes at most ${MAX_SKUS} SKUs per call, but got: ${skus.length}.`, { Code: 'BATCH_TOO_LARGE' });
    }
    const records = pickAll(stock, skus);
    const locked = records.find((record) => record.lockedForAudit);
    if (locked) {
      throw soapFault('soap:Server', `Stock record ${locked.sku} is locked for a stock audit.`, { Code: 'STOCK_LOCKED', Sku: locked.sku });
    }
    return { StockLevel: records.map(toStockLevel) };
  };
}

/** The SKUs of a `GetStockLevelsRequest` as node-soap parsed it: one `Sku` is a string, several an array. */
export function requestedSkus(request: unknown): string[] {
  const sku = (request as { Sku?: unknown } | undefined)?.Sku;
  const values = Array.isArray(sku) ? sku : sku === undefined ? [] : [sku];
  return values.filter((value) => typeof value === 'string' || typeof value === 'number').map(String);
}

/** Private: a stock record in the shape of the WSDL's `StockLevel`. */
function toStockLevel(record: StockRecord): StockLevel {
  const Warehouses = record.warehouses.map(({ warehouse, quantity }) => ({ Warehouse: warehouse, Quantity: quantity }));
  return { Sku: record.sku, Total: Warehouses.reduce((sum, line) => sum + line.Quantity, 0), Warehouses };
}
