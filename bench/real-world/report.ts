/** The per-document outcome, its cause in one line, and bench/real-world.md. */
export interface Outcome {
  id: string;
  origin: string;
  auth: string;
  built: boolean | undefined;
  answered: boolean;
  field?: string;
  /** The one-line cause of a failure: `<group>: <detail>`. */
  cause?: string;
  /** The failure is the mock's (Prism's), not the gateway's nor the document's. */
  mock?: boolean;
  seconds: number;
}

/** `UPSTREAM_REJECTED: realworld answered 422` → a group shared by like failures. */
export function group(cause: string): string {
  return (cause ?? 'unknown').split(': ')[0]!;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 400);

export function markdown(outcomes: Outcome[], rule: string, started: Date, minutes: number, command: string): string {
  const built = outcomes.filter((one) => one.built).length;
  const answered = outcomes.filter((one) => one.answered).length;
  const mock = outcomes.filter((one) => one.mock);
  const servable = outcomes.length - mock.length;
  const groups = new Map<string, Outcome[]>();
  for (const one of outcomes) if (!one.answered) groups.set(group(one.cause!), [...(groups.get(group(one.cause!)) ?? []), one]);
  const rows = [...groups].sort((a, b) => b[1].length - a[1].length)
    .map(([name, list]) => `| ${cell(name)} | ${list[0]!.mock ? 'mock' : 'gateway or document'} | ${list.length} | ${cell(list[0]!.id)}: ${cell(list[0]!.cause!)} |`);
  return `# Real-world OpenAPI corpus: how many providers answer through the gateway

\`${command}\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${minutes.toFixed(1)} minutes for ${outcomes.length} documents
(${(minutes * 60 / Math.max(outcomes.length, 1)).toFixed(0)} s each: Prism start, \`source:add\` (composition and bundle rebuilt), gateway start, one read, \`source:remove\`).

Sample rule: ${rule}

Each document is served by \`prism mock -d --seed 1\` on loopback and added to one copy of the project with
\`npm run source:add -- realworld <file> --endpoint <prism> [--auth …]\` (the \`--auth\` options from its
security schemes; the printed variables set to dummy values; OAuth2 client credentials against a loopback token endpoint),
then one Query root field is asked with arguments filled from the contract.

## Totals

| | documents |
| --- | --- |
| sample | ${outcomes.length} |
| built (source:add exit 0) | ${built} |
| answered (HTTP 200, data for the field, no errors) | ${answered} |
| failed for a cause of the mock (Prism) | ${mock.length} |
| answered out of the documents the mock can serve | ${answered} / ${servable} = ${servable ? ((100 * answered) / servable).toFixed(1) : '0'} % |

## Failures by cause

| cause | whose | documents | example (document: its message) |
| --- | --- | --- | --- |
${rows.join('\n')}

## Per document

| id | original format | --auth | built | field asked | answered, or cause |
| --- | --- | --- | --- | --- | --- |
${outcomes.map((one) => `| ${cell(one.id)} | ${one.origin} | ${cell(one.auth || '—')} | ${one.built === undefined ? '—' : one.built ? 'yes' : 'no'} | ${cell(one.field ?? '—')} | ${one.answered ? 'answered' : `${one.mock ? '(mock) ' : ''}${cell(one.cause!)}`} |`).join('\n')}
`;
}
