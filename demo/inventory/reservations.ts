/**
 * The ERP's reservations (`ReserveStock`, `ReleaseReservation`, `CommitReservation` in inventory.wsdl).
 * A reservation takes its quantities out of the warehouses at once, so stock levels show what is
 * still free; releasing puts them back, committing keeps them out for good. The caller names the
 * reservation, which makes every operation safe to send again:
 * - ReserveStock with an id already held and the same lines answers that reservation again;
 * - ReleaseReservation of an id never seen closes it, so a ReserveStock arriving late is refused;
 * - releasing a released id or committing a committed one answers it again.
 * Each SKU whose free stock a reservation or a release changed is told to `onStockChanged` (the ERP
 * pushes it as a webhook); committing changes no stock.
 *
 *   const reservations = createReservations(world, (record) => webhooks.send(stockChangedEvent(record)));
 *   reservations.operations.ReserveStock({ ReservationId: 'res-1', Line: [{ Sku: 'SKU-0001', Quantity: 2 }] });
 */
import { randomUUID } from 'node:crypto';
import type { StockRecord, World } from '../world/seed.js';
import { indexBy } from '../world/lookup.js';
import { soapFault } from './soap-faults.js';
import { escapeXml } from '../../lib/xml.js';

export type ReservationStatus = 'OPEN' | 'RELEASED' | 'COMMITTED';

export interface ReservationRecord {
  id: string;
  status: ReservationStatus;
  lines: { sku: string; quantity: number }[];
  /** What was taken from each warehouse, to put back on release. */
  taken: { sku: string; warehouse: string; quantity: number }[];
}

const MAX_LINES = 50;

export function createReservations(world: World, onStockChanged: (record: StockRecord) => void = () => undefined) {
  const stock = indexBy(world.stock, (record) => record.sku);
  const reservations = new Map<string, ReservationRecord>();
  const answer = (record: ReservationRecord) => ({ Reservation: { ReservationId: record.id, Status: record.status } });

  const reserve = (request: unknown) => {
    const id = reservationIdOf(request);
    const lines = linesOf(request);
    const existing = reservations.get(id);
    if (existing) {
      if (existing.status === 'RELEASED') throw soapFault('soap:Client', `Reservation ${id} was released.`, { Code: 'RESERVATION_CLOSED' });
      if (JSON.stringify(existing.lines) !== JSON.stringify(lines)) {
        throw soapFault('soap:Client', `Reservation ${id} holds other lines.`, { Code: 'RESERVATION_CONFLICT' });
      }
      return answer(existing);
    }
    const records = lines.map((line) => {
      const record = stock.get(line.sku);
      if (!record) throw soapFault('soap:Client', `There is no SKU ${line.sku}.`, { Code: 'UNKNOWN_SKU', Sku: line.sku });
      if (record.lockedForAudit) throw soapFault('soap:Server', `Stock record ${record.sku} is locked for a stock audit.`, { Code: 'STOCK_LOCKED', Sku: record.sku });
      if (available(record) < line.quantity) {
        throw soapFault('soap:Client', `Only ${available(record)} of ${line.sku} are free, ${line.quantity} asked.`, { Code: 'INSUFFICIENT_STOCK', Sku: line.sku });
      }
      return record;
    });
    const taken = lines.flatMap((line, index) => take(records[index]!, line.quantity));
    const record: ReservationRecord = { id, status: 'OPEN', lines, taken };
    reservations.set(id, record);
    for (const changed of records) onStockChanged(changed);
    return answer(record);
  };

  const release = (request: unknown) => {
    const id = reservationIdOf(request);
    const record = reservations.get(id) ?? { id, status: 'RELEASED' as const, lines: [], taken: [] };
    if (record.status === 'COMMITTED') throw soapFault('soap:Client', `Reservation ${id} is committed.`, { Code: 'RESERVATION_CLOSED' });
    if (record.status === 'OPEN') {
      for (const part of record.taken) {
        stock.get(part.sku)!.warehouses.find((line) => line.warehouse === part.warehouse)!.quantity += part.quantity;
      }
      record.status = 'RELEASED';
      for (const sku of new Set(record.taken.map((part) => part.sku))) onStockChanged(stock.get(sku)!);
    }
    reservations.set(id, record);
    return answer(record);
  };

  const commit = (request: unknown) => {
    const id = reservationIdOf(request);
    const record = reservations.get(id);
    if (!record) throw soapFault('soap:Client', `There is no reservation ${id}.`, { Code: 'UNKNOWN_RESERVATION' });
    if (record.status === 'RELEASED') throw soapFault('soap:Client', `Reservation ${id} was released.`, { Code: 'RESERVATION_CLOSED' });
    record.status = 'COMMITTED';
    return answer(record);
  };

  return {
    operations: { ReserveStock: reserve, ReleaseReservation: release, CommitReservation: commit },
    /** Every reservation by status, for GET /_admin/state. */
    recorded() {
      return { reservations: [...reservations.values()].map(({ taken: _, ...record }) => record) };
    },
  };
}

/** Private: the reservation id a request names. */
function reservationIdOf(request: unknown): string {
  const id = (request as { ReservationId?: unknown } | undefined)?.ReservationId;
  if (typeof id !== 'string' || id.trim() === '' || id.length > 100) {
    throw soapFault('soap:Client', 'ReservationId must hold 1 to 100 characters.', { Code: 'INVALID_REQUEST' });
  }
  return id;
}

/** Private: the lines of a ReserveStockRequest as node-soap parsed them (one Line is an object, several an array). */
function linesOf(request: unknown): { sku: string; quantity: number }[] {
  const raw = (request as { Line?: unknown } | undefined)?.Line;
  const lines = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as { Sku?: unknown; Quantity?: unknown }[];
  if (lines.length === 0 || lines.length > MAX_LINES) {
    throw soapFault('soap:Client', `ReserveStock takes 1 to ${MAX_LINES} lines, but got: ${lines.length}.`, { Code: 'INVALID_REQUEST' });
  }
  return lines.map((line) => {
    const quantity = Number(line.Quantity);
    if (typeof line.Sku !== 'string' || !Number.isInteger(quantity) || quantity < 1) {
      throw soapFault('soap:Client', 'Each Line needs a Sku and a positive whole Quantity.', { Code: 'INVALID_REQUEST' });
    }
    return { sku: line.Sku, quantity };
  });
}

/**
 * The ERP's push for a stock level that changed, in its own XML:
 * `<StockChanged><EventId/><OccurredAt/><Sku/><Total/><Warehouses><Warehouse/><Quantity/></Warehouses>…</StockChanged>`.
 */
export function stockChangedEvent(record: StockRecord): { id: string; type: string; body: string } {
  const id = `stk-${randomUUID()}`;
  const warehouses = record.warehouses
    .map((line) => `<Warehouses><Warehouse>${escapeXml(line.warehouse)}</Warehouse><Quantity>${line.quantity}</Quantity></Warehouses>`)
    .join('');
  const body = '<?xml version="1.0" encoding="UTF-8"?>'
    + `<StockChanged xmlns="${EVENTS_NAMESPACE}"><EventId>${id}</EventId><OccurredAt>${new Date().toISOString()}</OccurredAt>`
    + `<Sku>${escapeXml(record.sku)}</Sku><Total>${available(record)}</Total>${warehouses}</StockChanged>`;
  return { id, type: 'StockChanged', body };
}

const EVENTS_NAMESPACE = 'http://switchboard.example/inventory/events';


/** Private: what a SKU still has free, over all warehouses. */
function available(record: StockRecord): number {
  return record.warehouses.reduce((sum, line) => sum + line.quantity, 0);
}

/** Private: takes `quantity` of a SKU out of its warehouses, fullest first; what came from where. */
function take(record: StockRecord, quantity: number): ReservationRecord['taken'] {
  let left = quantity;
  const taken: ReservationRecord['taken'] = [];
  for (const line of [...record.warehouses].sort((a, b) => b.quantity - a.quantity)) {
    if (left === 0) break;
    const part = Math.min(left, line.quantity);
    if (part === 0) continue;
    line.quantity -= part;
    left -= part;
    taken.push({ sku: record.sku, warehouse: line.warehouse, quantity: part });
  }
  return taken;
}
