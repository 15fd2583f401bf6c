/** What the demo world holds, computed from the same seed as the services, for exact assertions. */
import { createWorld } from '../../demo/world/seed.js';

export const world = createWorld();

export const productById = new Map(world.products.map((p) => [p.id, p]));
export const customerById = new Map(world.customers.map((c) => [c.id, c]));
export const stockBySku = new Map(world.stock.map((s) => [s.sku, s]));

export function stockOf(sku: string) {
  const warehouses = stockBySku.get(sku)!.warehouses;
  return { total: warehouses.reduce((sum, w) => sum + w.quantity, 0), warehouses };
}

/** A product's reviews, newest first, as the reviews service orders them. */
export function reviewsOf(productId: string) {
  return world.reviews
    .filter((r) => r.productId === productId)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

export function ratingOf(productId: string): number | null {
  const reviews = reviewsOf(productId);
  if (!reviews.length) return null;
  return Math.round((reviews.reduce((sum, r) => sum + r.rating, 0) / reviews.length) * 100) / 100;
}

/** A customer's orders, newest first. */
export function ordersOf(customerId: string) {
  return world.orders.filter((o) => o.customerId === customerId).sort((a, b) => b.placedAt.localeCompare(a.placedAt));
}

export const paymentOfOrder = new Map(world.payments.map((p) => [p.orderId, p]));
