/**
 * node-soap files a schema's top-level complex types, simple types, elements and groups, and drops
 * everything else it reads there: a schema's global `<xsd:attribute>` (Workday's `wd:Descriptor`,
 * used by `ref` on thousands of types) and its `<xsd:attributeGroup>`s are gone once the WSDL is
 * parsed. This files them too, on each schema, by name, and keeps them when node-soap merges the
 * schemas of one namespace (includes); node-soap itself never reads them, so nothing else changes.
 *
 *   keepSchemaGlobals();   // once, before node-soap parses a WSDL
 *   definitions.schemas[namespace].attributeGroups.Audit_Attributes;   // the node, as node-soap read it
 */
import { SchemaElement } from 'soap/lib/wsdl/elements.js';

interface Schema {
  attributes?: Record<string, unknown>;
  attributeGroups?: Record<string, unknown>;
  addChild(child: { name: string; $name?: string }): void;
  merge(source: Schema): Schema;
}

const GLOBALS = { attribute: 'attributes', attributeGroup: 'attributeGroups' } as const;
let kept = false;

export function keepSchemaGlobals(): void {
  if (kept) return;
  kept = true;
  // Imported, not required, so that the bundle (.mesh/start.mjs) patches the node-soap it holds.
  const prototype = SchemaElement.prototype as unknown as Schema;
  const { addChild, merge } = prototype;
  prototype.addChild = function keepGlobal(this: Schema, child) {
    const kind = GLOBALS[child.name as keyof typeof GLOBALS];
    if (kind && child.$name) (this[kind] ??= {})[child.$name] = child;
    addChild.call(this, child);
  };
  prototype.merge = function mergeGlobals(this: Schema, source) {
    for (const kind of Object.values(GLOBALS)) {
      if (source[kind]) this[kind] = { ...source[kind], ...this[kind] };
    }
    return merge.call(this, source);
  };
}
