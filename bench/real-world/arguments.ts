/**
 * Values that satisfy a contract: for a GraphQL input type, guided by the OpenAPI schema it came
 * from when there is one: its example, enum, default, pattern (randexp, seeded), format, length and
 * range. Deterministic: the same document gets the same values on every run.
 */
import RandExp from 'randexp';
import {
  getNamedType, getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType,
  type GraphQLInputType,
} from 'graphql';

/** A `$ref` inside the document, followed (with allOf members merged one level). */
export function deref(document: any, schema: any, seen = 0): any {
  if (!schema || typeof schema !== 'object' || seen > 20) return schema;
  if (typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    const target = schema.$ref.slice(2).split('/').reduce((node: any, key: string) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
    return deref(document, target, seen + 1);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((part: any) => deref(document, part, seen + 1));
    return {
      ...Object.assign({}, ...parts), ...schema, allOf: undefined,
      properties: Object.assign({}, ...parts.map((part: any) => part?.properties ?? {}), schema.properties ?? {}),
      required: [...parts.flatMap((part: any) => part?.required ?? []), ...(schema.required ?? [])],
    };
  }
  return schema;
}

export const sanitize = (name: string) => name.replace(/[^_a-zA-Z0-9]/g, '_');

const FORMATS: Record<string, unknown> = {
  'date-time': '2024-01-15T10:00:00Z', date: '2024-01-15', time: '10:00:00', uuid: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  email: 'user@example.com', uri: 'https://example.com/item', url: 'https://example.com/item', hostname: 'example.com',
  ipv4: '192.0.2.1', ipv6: '2001:db8::1', byte: 'ZXhhbXBsZQ==', password: 'example-password',
};

const SCALARS: Record<string, unknown> = {
  Int: 1, Float: 1.5, Boolean: true, ID: '1', String: 'example', DateTime: FORMATS['date-time'], Date: FORMATS.date, Time: FORMATS.time,
  UUID: FORMATS.uuid, EmailAddress: FORMATS.email, URL: FORMATS.url, JSON: {}, ObjMap: {}, BigInt: 1, Long: 1, PositiveInt: 1,
  NonNegativeInt: 0, PositiveFloat: 1.5, NonNegativeFloat: 0, NonEmptyString: 'example', Byte: FORMATS.byte, IPv4: FORMATS.ipv4, IPv6: FORMATS.ipv6,
};

let seed = 1;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}

function fromPattern(pattern: string, min?: number, max?: number): string | undefined {
  try {
    seed = 1;
    const generator = new RandExp(pattern);
    generator.randInt = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
    generator.max = Math.min(max ?? 8, 8);
    for (let attempt = 0; attempt < 20; attempt++) {
      const text = generator.gen();
      if ((min === undefined || text.length >= min) && (max === undefined || text.length <= max)) return text;
    }
  } catch { /* an expression randexp cannot read: fall back */ }
  return undefined;
}

function number(schema: any, integer: boolean): number {
  let low = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum : undefined;
  const high = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum : undefined;
  if (low !== undefined && (schema.exclusiveMinimum === true || typeof schema.exclusiveMinimum === 'number')) low += integer ? 1 : 0.5;
  let value = integer ? 1 : 1.5;
  if (low !== undefined && value < low) value = integer ? Math.ceil(low) : low;
  if (high !== undefined && value > high) value = integer ? Math.floor(high) : high;
  if (schema.multipleOf) value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return value;
}

/** The contract's own value when it gives one (example, default, first enum member). */
function given(schema: any, parameter?: any): unknown {
  if (parameter?.example !== undefined) return parameter.example;
  const example = parameter?.examples && Object.values<any>(parameter.examples)[0]?.value;
  if (example !== undefined) return example;
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length) return schema.examples[0];
  if (schema?.default !== undefined) return schema.default;
  if (Array.isArray(schema?.enum) && schema.enum.length) return schema.enum.find((value: unknown) => value !== null);
  return undefined;
}

/** Whether a value the document gives agrees with its own format and pattern (examples often do not). */
const SHAPES: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/, 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, email: /^[^@\s]+@[^@\s]+$/,
};
function agrees(schema: any, value: unknown): boolean {
  if (typeof value !== 'string') return true;
  if (schema.format && SHAPES[schema.format] && !SHAPES[schema.format]!.test(value)) return false;
  try {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return false;
  } catch { /* a pattern JavaScript cannot read */ }
  if (schema.minLength !== undefined && value.length < schema.minLength) return false;
  return schema.maxLength === undefined || value.length <= schema.maxLength;
}

function fromSchema(document: any, raw: any, parameter?: any): unknown {
  const schema = deref(document, raw) ?? {};
  const value = given(schema, parameter);
  if (value !== undefined && typeof value !== 'object' && agrees(schema, value)) return value;
  const type = Array.isArray(schema.type) ? schema.type.find((one: string) => one !== 'null') : schema.type;
  if (type === 'integer') return number(schema, true);
  if (type === 'number') return number(schema, false);
  if (type === 'boolean') return true;
  if (type === 'string' || schema.format || schema.pattern) {
    if (schema.format && FORMATS[schema.format] !== undefined) return FORMATS[schema.format];
    if (schema.pattern) {
      const text = fromPattern(schema.pattern, schema.minLength, schema.maxLength);
      if (text !== undefined) return text;
    }
    let text = 'example';
    if (schema.minLength) text = text.padEnd(schema.minLength, 'x');
    if (schema.maxLength !== undefined) text = text.slice(0, Math.max(schema.maxLength, 0));
    return text;
  }
  return value;
}

/**
 * A value of `type` for the gateway, with `schema` (the OpenAPI schema or parameter it came from) as
 * the guide; undefined when nothing fits.
 */
export function valueFor(document: any, type: GraphQLInputType, schema?: any, parameter?: any, depth = 0): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  const resolved = deref(document, schema);
  if (isListType(inner)) {
    const items = resolved?.items;
    const one = valueFor(document, inner.ofType, items, undefined, depth + 1);
    const count = Math.max(1, Math.min(resolved?.minItems ?? 1, 3));
    const fromExample = given(resolved, parameter);
    if (Array.isArray(fromExample) && fromExample.length) return fromExample;
    return one === undefined ? [] : Array.from({ length: count }, () => one);
  }
  if (isEnumType(inner)) {
    const wanted = given(resolved, parameter);
    const values = inner.getValues();
    return (values.find((value) => wanted !== undefined && (value.name === String(wanted) || value.name === sanitize(String(wanted)) || value.value === wanted)) ?? values[0])?.name;
  }
  if (isInputObjectType(inner)) {
    if (depth > 4) return undefined;
    const properties = resolved?.properties ?? {};
    const required = new Set<string>((resolved?.required ?? []).map(sanitize));
    const object: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      if (!isNonNullType(field.type) && !required.has(field.name)) continue;
      const property = Object.entries<any>(properties).find(([name]) => sanitize(name) === field.name)?.[1];
      const value = valueFor(document, field.type, property, undefined, depth + 1);
      if (value !== undefined) object[field.name] = value;
    }
    return object;
  }
  if (isScalarType(inner)) {
    const fitted = resolved || parameter ? fromSchema(document, resolved, parameter) : undefined;
    const scalar = getNamedType(inner).name;
    if (fitted !== undefined && fits(scalar, fitted)) return fitted;
    if (fitted !== undefined && scalar !== 'Int' && scalar !== 'Float' && scalar !== 'Boolean' && typeof fitted !== 'object') return String(fitted);
    return SCALARS[scalar] ?? (resolved?.type === 'integer' ? 1 : resolved?.type === 'number' ? 1.5 : resolved?.type === 'boolean' ? true : resolved?.type === 'object' ? {} : 'example');
  }
  return undefined;
}

function fits(scalar: string, value: unknown): boolean {
  if (scalar === 'Int' || scalar === 'BigInt' || scalar === 'Long') return Number.isInteger(value);
  if (scalar === 'Float') return typeof value === 'number';
  if (scalar === 'Boolean') return typeof value === 'boolean';
  if (scalar === 'JSON' || scalar === 'ObjMap') return true;
  return typeof value === 'string' || typeof value === 'number';
}
