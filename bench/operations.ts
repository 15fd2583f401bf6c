/**
 * The operations clients send in the varied workloads, each in the two forms clients write it: with
 * its values as variables (Apollo Client, urql) or with the values written into the document (every
 * document then distinct; the operation's name carries the request's number, so that no two
 * requests send the same text). `match` reads a request's values back, in either form: the
 * hand-written aggregator recognises its requests with it.
 *
 *   const page = operation('ProductsPage', { after: 'String!' }, '{ products(first: 100, after: $after) { id } }');
 *   page.request({ after: 'prod-0100' }, 'variables', 7);
 *   // { query: 'query ProductsPage($after: String!) { products(first: 100, after: $after) { id } }', variables: { after: 'prod-0100' } }
 *   page.request({ after: 'prod-0100' }, 'literal', 7);
 *   // { query: 'query ProductsPage7 { products(first: 100, after: "prod-0100") { id } }' }
 *   page.match('query ProductsPage7 { products(first: 100, after: "prod-0100") { id } }'); // { after: 'prod-0100' }
 */
export type Values = Record<string, string | number>;
export type Form = 'variables' | 'literal';

export interface GraphQLRequest {
  query: string;
  variables?: Values;
}

export interface Operation<V extends Values> {
  name: string;
  request(values: V, form: Form, n: number): GraphQLRequest;
  match(query: string, variables?: Record<string, unknown>): V | undefined;
}

const LITERAL = String.raw`("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)`;

export function operation<V extends Values>(name: string, variableTypes: Record<keyof V & string, string>, selection: string): Operation<V> {
  const names = Object.keys(variableTypes);
  const declarations = names.map((variable) => `$${variable}: ${variableTypes[variable as keyof V & string]}`).join(', ');
  const withVariables = `query ${name}(${declarations}) ${selection}`;
  const order: string[] = [];
  const literalPattern = new RegExp(`^query ${name}\\d+ ${escape(selection).replace(/\\\$(\w+)/g, (_, variable: string) => {
    order.push(variable);
    return LITERAL;
  })}$`);
  return {
    name,
    request(values, form, n) {
      if (form === 'variables') return { query: withVariables, variables: values };
      return { query: `query ${name}${n} ${selection.replace(/\$(\w+)/g, (_, variable: string) => JSON.stringify(values[variable]))}` };
    },
    match(query, variables) {
      if (query === withVariables) {
        return variables && names.every((variable) => variable in variables) ? (variables as V) : undefined;
      }
      const found = literalPattern.exec(query);
      if (!found) return undefined;
      return Object.fromEntries(order.map((variable, index) => [variable, JSON.parse(found[index + 1]!) as string | number])) as V;
    },
  };
}

/** Private: `text` as a regular expression that matches it literally. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
