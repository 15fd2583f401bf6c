/**
 * GraphQL names for XML names: types PascalCase, fields and arguments camelCase, and the underscores
 * between words that contracts such as Workday's put everywhere (`Learning_Course_Reference`) gone,
 * since people read these names in GraphiQL.
 *
 *   pascal('Learning_Course_ReferenceType');   // 'LearningCourseReferenceType'
 *   camel('As_Of_Effective_Date');   // 'asOfEffectiveDate'
 *   camel('SKU');   // 'sku'
 */

export function pascal(name: string): string {
  const joined = joinWords(name);
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

export function camel(name: string): string {
  const joined = joinWords(name);
  // `SKU` → `sku`, `Sku` → `sku`, `URLPath` → `urlPath`
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|$|[^A-Za-z])/.exec(joined)?.[0] ?? joined.charAt(0);
  return leadingCaps.toLowerCase() + joined.slice(leadingCaps.length);
}

/** Private: what GraphQL cannot spell becomes `_`, and an underscore between a word and the next goes. */
function joinWords(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_').replace(/(?<=[A-Za-z0-9])_+([A-Za-z])/g, (_, after: string) => after.toUpperCase());
}
