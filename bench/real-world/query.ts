/**
 * One read per source: the Query root field to ask (one whose required arguments can be filled, the
 * fewest first), its arguments filled from the contract, and a selection of its scalar fields two
 * levels deep at most (about 20 fields), with fragments on union and interface members.
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema, getNamedType, isAbstractType, isInterfaceType, isLeafType, isNonNullType, isObjectType,
  type GraphQLField, type GraphQLNamedType, type GraphQLSchema, Kind, type ConstDirectiveNode,
} from 'graphql';
import { deref, sanitize, valueFor } from './arguments.js';
import { isPlaceholderField } from '../../gateway/compose/public-schema.js';
import { normalPath } from '../../gateway/sources/rest/reads.js';

export interface Read { field: string; method?: string; path?: string; query: string; variables: Record<string, unknown> }

interface Operation { method: string; path: string; operation: any; parameters: any[] }

/** The `@httpOperation` of each of the source's own root fields (Mesh's schema of that source). */
function operations(sourceSchemaFile: string, document: any): Map<string, Operation | undefined> {
  const found = new Map<string, Operation | undefined>();
  const schema = buildSchema(readFileSync(sourceSchemaFile, 'utf8'), { assumeValidSDL: true });
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((one: ConstDirectiveNode) => one.name.value === 'httpOperation');
    const argument = (name: string) => directive?.arguments?.find((one) => one.name.value === name)?.value;
    const path = argument('path');
    const method = argument('httpMethod');
    if (!directive) found.set(field.name, undefined); // Mesh's own `dummy` field of a source with no reads: not the API's
    if (path?.kind !== Kind.STRING || method?.kind !== Kind.ENUM) continue;
    const wanted = normalPath(path.value);
    const entry = Object.entries<any>(document.paths ?? {}).find(([key]) => normalPath(key) === wanted);
    const operation = entry?.[1]?.[method.value.toLowerCase()];
    if (!operation) continue;
    const parameters = [...(entry![1].parameters ?? []), ...(operation.parameters ?? [])].map((one) => deref(document, one));
    found.set(field.name, { method: method.value, path: entry![0], operation, parameters });
  }
  return found;
}

export function chooseRead(gateway: GraphQLSchema, prefix: string, sourceSchemaFile: string, document: any): Read | undefined {
  const byField = operations(sourceSchemaFile, document);
  const fields = Object.values(gateway.getQueryType()?.getFields() ?? {}).filter((field) => field.name.startsWith(prefix) && !isPlaceholderField(field.name, [prefix])
    && !(field.name === `${prefix}dummy` && !byField.get(field.name)));
  // (`dummy` is the field Mesh gives a source with no reads; it answers null and is no API's.)
  const ranked = fields.map((field) => {
    const operation = byField.get(field.name) ?? byField.get(field.name.slice(prefix.length));
    const needed = field.args.filter((arg) => (isNonNullType(arg.type) && arg.defaultValue === undefined) || contractRequires(document, operation, arg.name));
    return { field, operation, needed };
  }).sort((a, b) => (Number(b.operation?.method === 'GET') - Number(a.operation?.method === 'GET')) || a.needed.length - b.needed.length || (a.field.name < b.field.name ? -1 : 1));
  const chosen = ranked[0];
  if (!chosen) return undefined;
  const variables: Record<string, unknown> = {};
  for (const arg of chosen.needed) {
    const parameter = chosen.operation?.parameters.find((one) => sanitize(String(one?.name)) === arg.name);
    const body = parameter ? undefined : bodySchema(document, chosen.operation);
    variables[arg.name] = valueFor(document, arg.type, parameter?.schema ?? body, parameter);
  }
  const declared = chosen.needed.map((arg) => `$${arg.name}: ${arg.type.toString()}`).join(', ');
  const passed = chosen.needed.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = selectionOf(chosen.field, { left: 20 }, 0);
  const query = `query RealWorld${declared ? `(${declared})` : ''} { ${chosen.field.name}${passed ? `(${passed})` : ''}${selection} }`;
  return { field: chosen.field.name, method: chosen.operation?.method, path: chosen.operation?.path, query, variables };
}

function contractRequires(document: any, operation: Operation | undefined, argName: string): boolean {
  if (!operation) return false;
  const parameter = operation.parameters.find((one) => sanitize(String(one?.name)) === argName);
  if (parameter) return parameter.required === true;
  return argName === 'input' && deref(document, operation.operation.requestBody)?.required === true;
}

function bodySchema(document: any, operation: Operation | undefined): any {
  const content = deref(document, operation?.operation.requestBody)?.content ?? {};
  return (content['application/json'] ?? Object.values<any>(content)[0])?.schema;
}

/** ` { a b c { d } }` for an object, union or interface; '' for a scalar or enum. */
function selectionOf(field: GraphQLField<unknown, unknown>, budget: { left: number }, depth: number): string {
  const type = getNamedType(field.type);
  if (isLeafType(type)) return '';
  return ` { ${membersOf(type, budget, depth + 1).join(' ')} }`;
}

function membersOf(type: GraphQLNamedType, budget: { left: number }, depth: number): string[] {
  const parts: string[] = ['__typename'];
  if (isObjectType(type) || isInterfaceType(type)) {
    const fields = Object.values(type.getFields()).filter((field) => !field.args.some((arg) => isNonNullType(arg.type)));
    for (const field of fields) {
      if (budget.left <= 0) break;
      if (isLeafType(getNamedType(field.type))) {
        parts.push(field.name);
        budget.left--;
      }
    }
    if (depth < 2) {
      for (const field of fields) {
        if (budget.left <= 0) break;
        if (!isLeafType(getNamedType(field.type))) parts.push(`${field.name}${selectionOf(field, budget, depth)}`);
      }
    }
  }
  if (isAbstractType(type) && depth <= 2) {
    // Fragments on each possible member: their scalar fields.
    const members = isInterfaceType(type) ? [] : type.getTypes();
    for (const member of members) {
      const scalars = Object.values(member.getFields()).filter((field) => isLeafType(getNamedType(field.type)) && !field.args.some((arg) => isNonNullType(arg.type))).slice(0, Math.max(1, Math.floor(budget.left / members.length)));
      budget.left -= scalars.length;
      if (scalars.length) parts.push(`... on ${member.name} { ${scalars.map((field) => field.name).join(' ')} }`);
    }
  }
  return parts;
}
