/**
 * The demo world's data: one deterministic generator shared by the four demo upstreams, so that a
 * product id in `catalog` is the same product in `inventory` (by SKU), `reviews` and the orders that
 * `payments` charged. Same seed, same world: tests may assert exact values.
 *
 *   const world = createWorld();
 *   world.products[0]; // { id: 'prod-0001', sku: 'SKU-0001', name: 'Aurora Desk Lamp', ... }
 */

export interface ProductRecord {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: number;
  currency: string;
}

export interface CustomerRecord {
  id: string;
  name: string;
  email: string;
  country: string;
  createdAt: string;
}

export interface OrderLineRecord {
  productId: string;
  quantity: number;
  unitPrice: number;
}

export interface OrderRecord {
  id: string;
  customerId: string;
  placedAt: string;
  status: 'PLACED' | 'SHIPPED' | 'DELIVERED' | 'CANCELLED';
  currency: string;
  total: number;
  lines: OrderLineRecord[];
}

export interface PaymentRecord {
  id: string;
  orderId: string;
  amount: number;
  currency: string;
  status: 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  method: 'CARD' | 'BANK_TRANSFER' | 'WALLET';
  createdAt: string;
}

export interface WarehouseStockRecord {
  warehouse: string;
  quantity: number;
}

export interface StockRecord {
  sku: string;
  warehouses: WarehouseStockRecord[];
  /** A record the ERP has locked for a stock audit: reading it raises a SOAP Fault. */
  lockedForAudit: boolean;
}

export interface ReviewRecord {
  id: string;
  productId: string;
  customerId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: string;
}

export interface World {
  products: ProductRecord[];
  customers: CustomerRecord[];
  orders: OrderRecord[];
  payments: PaymentRecord[];
  stock: StockRecord[];
  reviews: ReviewRecord[];
}

export interface WorldSize {
  products: number;
  customers: number;
  orders: number;
}

export const DEFAULT_WORLD_SIZE: WorldSize = { products: 1200, customers: 200, orders: 2000 };
export const WAREHOUSES = ['AMS', 'BER', 'DUB'] as const;

const ADJECTIVES = ['Aurora', 'Basalt', 'Cedar', 'Dune', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Indigo', 'Juniper',
  'Kestrel', 'Lumen', 'Meadow', 'Nimbus', 'Onyx', 'Pebble', 'Quartz', 'Raven', 'Sable', 'Tundra'];
const NOUNS: Record<string, string[]> = {
  Lighting: ['Desk Lamp', 'Floor Lamp', 'Pendant Light', 'Wall Sconce'],
  Kitchen: ['Kettle', 'Chef Knife', 'Cutting Board', 'Dutch Oven', 'Espresso Cup'],
  Outdoor: ['Tent', 'Camp Stove', 'Trail Backpack', 'Water Bottle'],
  Office: ['Notebook', 'Fountain Pen', 'Monitor Stand', 'Desk Organizer'],
  Textiles: ['Wool Throw', 'Linen Sheet Set', 'Cushion Cover', 'Bath Towel'],
};
const CATEGORIES = Object.keys(NOUNS);
const FIRST_NAMES = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kofi',
  'Lena', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tara'];
const LAST_NAMES = ['Moreau', 'Okafor', 'Lindqvist', 'Novak', 'Tanaka', 'Haddad', 'Costa', 'Becker', 'Ramos', 'Walsh'];
const COUNTRIES = ['NL', 'DE', 'IE', 'FR', 'ES', 'SE'];
const REVIEW_TITLES = ['Does the job', 'Lovely finish', 'Not what I expected', 'Great value', 'Would buy again',
  'Sturdy and simple', 'Arrived damaged', 'Better than the photos'];

/** Private: mulberry32, a small seeded PRNG; the same seed always yields the same world. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const cents = (amount: number) => Math.round(amount * 100) / 100;
const EPOCH = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

export function createWorld(size: WorldSize = DEFAULT_WORLD_SIZE, seed = 20261124): World {
  const random = createRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const isoDay = (offsetDays: number) => new Date(EPOCH + offsetDays * DAY + int(0, DAY - 1)).toISOString();

  const products: ProductRecord[] = [];
  for (let i = 1; i <= size.products; i++) {
    const category = CATEGORIES[i % CATEGORIES.length]!;
    const name = `${pick(ADJECTIVES)} ${pick(NOUNS[category]!)}`;
    products.push({
      id: `prod-${pad(i, 4)}`,
      sku: `SKU-${pad(i, 4)}`,
      name,
      description: `The ${name}, from our ${category.toLowerCase()} range.`,
      category,
      price: cents(int(500, 25_000) / 100),
      currency: 'EUR',
    });
  }

  const customers: CustomerRecord[] = [];
  for (let i = 1; i <= size.customers; i++) {
    const first = FIRST_NAMES[(i - 1) % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor((i - 1) / FIRST_NAMES.length) % LAST_NAMES.length]!;
    customers.push({
      id: `cust-${pad(i, 4)}`,
      name: `${first} ${last}`,
      email: `${first}.${last}.${i}@example.com`.toLowerCase(),
      country: pick(COUNTRIES),
      createdAt: isoDay(int(0, 200)),
    });
  }

  const orders: OrderRecord[] = [];
  const payments: PaymentRecord[] = [];
  for (let i = 1; i <= size.orders; i++) {
    const lineCount = int(1, 4);
    const lines: OrderLineRecord[] = [];
    for (let l = 0; l < lineCount; l++) {
      const product = pick(products);
      if (lines.some((line) => line.productId === product.id)) continue;
      lines.push({ productId: product.id, quantity: int(1, 3), unitPrice: product.price });
    }
    const total = cents(lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0));
    const roll = random();
    const status: OrderRecord['status'] = roll < 0.05 ? 'CANCELLED' : roll < 0.3 ? 'PLACED' : roll < 0.6 ? 'SHIPPED' : 'DELIVERED';
    const placedAt = isoDay(int(200, 690));
    const order: OrderRecord = {
      id: `ord-${pad(i, 5)}`,
      customerId: customers[int(0, customers.length - 1)]!.id,
      placedAt,
      status,
      currency: 'EUR',
      total,
      lines,
    };
    orders.push(order);
    payments.push({
      id: `pay-${pad(i, 5)}`,
      orderId: order.id,
      amount: total,
      currency: 'EUR',
      status: status === 'CANCELLED' ? (random() < 0.5 ? 'REFUNDED' : 'FAILED') : 'SUCCEEDED',
      method: pick(['CARD', 'CARD', 'CARD', 'BANK_TRANSFER', 'WALLET'] as const),
      createdAt: placedAt,
    });
  }

  const stock: StockRecord[] = products.map((product, index) => ({
    sku: product.sku,
    warehouses: WAREHOUSES.filter(() => random() < 0.8).map((warehouse) => ({ warehouse, quantity: int(0, 120) })),
    // The last ten SKUs are newly received and locked for a stock audit: the ERP answers any read of
    // them with a Fault, as legacy systems do. They sit past the first 1,000 products on purpose.
    lockedForAudit: index >= products.length - 10,
  }));

  const reviews: ReviewRecord[] = [];
  for (const product of products) {
    if (random() < 0.15) continue; // about 15% of products have no review yet
    const count = int(1, 6);
    for (let r = 0; r < count; r++) {
      reviews.push({
        id: `rev-${pad(reviews.length + 1, 5)}`,
        productId: product.id,
        customerId: pick(customers).id,
        rating: int(1, 5),
        title: pick(REVIEW_TITLES),
        body: `Bought the ${product.name.toLowerCase()} ${int(1, 11)} months ago.`,
        createdAt: isoDay(int(200, 690)),
      });
    }
  }

  return { products, customers, orders, payments, stock, reviews };
}
