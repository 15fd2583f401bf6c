/**
 * Reading a value at a dotted path (`data.payment.id`) in parsed JSON or XML: how a webhook's
 * declaration finds an event's parts, and a join its keys.
 *
 *   valueAt({ data: { payment: { id: 'pay-1' } } }, 'data.payment.id');   // 'pay-1'
 */

/** The value at `path`, undefined where the path leads nowhere (a missing key, a list, a scalar). */
export function valueAt(value: unknown, path: string): unknown {
  return pathReader(path)(value);
}

/**
 * `valueAt` for one path, split once: for reads made per item on a hot path (a join's keys), where
 * splitting the path at every call is most of the cost.
 */
export function pathReader(path: string): (value: unknown) => unknown {
  const keys = path.split('.');
  if (keys.length === 1) {
    const [key] = keys as [string];
    return (value) => (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined);
  }
  return (value) => {
    let at = value;
    for (const key of keys) {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
      at = (at as Record<string, unknown>)[key];
    }
    return at;
  };
}
