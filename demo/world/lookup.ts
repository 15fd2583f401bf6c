/**
 * Indexes over the world's records, built once per service so that a batch read costs one map
 * lookup per key.
 *
 *   const products = indexBy(world.products, (product) => product.id);
 *   pickAll(products, ['prod-0002', 'nope', 'prod-0001']); // [prod-0002, prod-0001]: request order, unknown left out
 */

export function indexBy<T>(records: readonly T[], key: (record: T) => string): Map<string, T> {
  return new Map(records.map((record) => [key(record), record]));
}

export function groupBy<T>(records: readonly T[], key: (record: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const record of records) addToGroup(groups, key(record), record);
  return groups;
}

/** Adds a record to its group, for records written after the index was built. */
export function addToGroup<T>(groups: Map<string, T[]>, key: string, record: T): void {
  const group = groups.get(key);
  if (group) group.push(record);
  else groups.set(key, [record]);
}

/** The records of `keys`, in their order, leaving out unknown keys; a group's records are spread in. */
export function pickAll<T>(index: ReadonlyMap<string, T | T[]>, keys: readonly string[]): T[] {
  return keys.flatMap((key) => index.get(key) ?? []);
}

/** Sorts newest first by an ISO-8601 timestamp, then by id, so equal timestamps keep a stable order. */
export function newestFirst<T extends { id: string }>(records: readonly T[], at: (record: T) => string): T[] {
  return [...records].sort((a, b) => at(b).localeCompare(at(a)) || a.id.localeCompare(b.id));
}
