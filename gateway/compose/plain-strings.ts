/**
 * A string the contract leaves without a format is any string. Mesh's OpenAPI handler guesses a
 * format from a string's example (`example: "2025-10-15T13:50:58.963Z"` makes the field a
 * `DateTime`), and then refuses every answer whose value is not one (a provider that sends
 * `"2025-10-15 13:50"` loses the value, with UPSTREAM_CONTRACT_MISMATCH). The copies Mesh reads keep
 * such an example as `x-example` (`x-examples`), where the handler does not look:
 *
 *   { type: string, example: '2025-10-15T13:50:58.963Z' }   →   { type: string, x-example: '…' }
 *
 *   if (keepStringsPlain(document)) writeCopy(document);
 */
import { isObject } from './openapi-names.js';

/** Keys that hold values rather than schemas. */
const VALUES = new Set(['example', 'examples', 'default', 'enum', 'const']);

/** Moves, in place, the examples of every string schema without a format out of the handler's sight; whether any was. */
export function keepStringsPlain(document: Record<string, unknown>): boolean {
  let changed = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    if (node.type === 'string' && node.format === undefined) {
      for (const key of ['example', 'examples'] as const) {
        if (!(key in node)) continue;
        node[`x-${key}`] = node[key];
        delete node[key];
        changed = true;
      }
    }
    for (const [key, value] of Object.entries(node)) if (!VALUES.has(key) && !key.startsWith('x-')) visit(value);
  };
  visit(document);
  return changed;
}
