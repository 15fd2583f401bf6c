/**
 * A `$ref` inside an OpenAPI document is a URI whose fragment is a JSON pointer, and a URI writes
 * `{` and `}` percent-encoded: a parameter of `/vehicles/{vehicleId}` is rightly referred to as
 * `#/paths/~1vehicles~1%7BvehicleId%7D/get/parameters/0`. Mesh's OpenAPI handler reads the fragment
 * as a pointer without decoding it, finds nothing there, and its build stops on the parameter it did
 * not find: `Cannot read properties of undefined (reading 'trim')`. The copies Mesh reads say such a
 * reference as a plain pointer, `#/paths/~1vehicles~1{vehicleId}/get/parameters/0`.
 *
 *   if (decodeRefPointers(document)) writeCopy(document);
 */
import { isObject } from './openapi-names.js';

/**
 * Decodes, in place, every reference within `document` whose pointer finds nothing as written and
 * finds something once percent-decoded. Whether any was.
 */
export function decodeRefPointers(document: Record<string, unknown>): boolean {
  let changed = false;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const reference = node.$ref;
    if (typeof reference === 'string' && reference.startsWith('#/') && reference.includes('%')) {
      const decoded = decodeFragment(reference);
      if (decoded && resolvePointer(document, reference) === undefined && resolvePointer(document, decoded) !== undefined) {
        node.$ref = decoded;
        changed = true;
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(document);
  return changed;
}

/**
 * What a local reference (`#/components/schemas/Pet`) points to in `document`, or undefined.
 *
 *   resolvePointer(document, '#/paths/~1pets/get'); // document.paths['/pets'].get
 */
export function resolvePointer(document: Record<string, unknown>, reference: string): unknown {
  if (!reference.startsWith('#/')) return undefined;
  let target: unknown = document;
  for (const step of reference.slice(2).split('/')) {
    target = isObject(target) || Array.isArray(target) ? (target as Record<string, unknown>)[step.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return target;
}

/** Private: a fragment with its percent-escapes decoded; none if they are not well formed. */
function decodeFragment(reference: string): string | undefined {
  try {
    return decodeURIComponent(reference);
  } catch {
    return undefined;
  }
}
