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

/** Like failures share a group: the cause with the document's own names, numbers and paths taken out. */
export function group(cause: string | undefined): string {
  if (/\[Prism: .*Violation: response/.test(cause ?? '')) return `Prism generated an answer that breaks its own schema: ${generic(/Violation: (response.*)\]$/.exec(cause!)![1]!.replace(/^response\.body\S*/, 'response.body…'))}`;
  const text = (cause ?? 'unknown').replace(/source:add realworld: /, '').replace(/ \(nothing was changed\)/, '')
    .replace('The composition in .meshrc.yaml does not build: Failed to generate the schema for the source: ', 'Mesh cannot build the source: ');
  const prism = /^Prism refused \((\w+)\): (.*)$/.exec(text);
  if (prism) {
    const type = /errors#(\w+)/.exec(prism[2]!)?.[1];
    const violation = /\[VALIDATOR\] ✖ error (.*)$/.exec(prism[2]!)?.[1];
    if (violation?.startsWith('Request ')) return `the request breaks the contract (Prism's check, ${prism[1]}): ${generic(violation)}`;
    return `Prism refused (${prism[1]}): ${type ?? generic(prism[2]!)}`;
  }
  const [head, ...rest] = text.split(': ');
  if (head === 'no Query field') return 'no Query field: every operation became a Mutation field';
  if (/^(Prism cannot load the document|gateway did not start|document refers)/.test(head!)) return head!;
  return `${head}: ${generic(rest.join(': ').replace(/ \[Prism: .*$/, ''))}`;
}

/** A message with the names, quoted values and numbers that differ from one document to the next taken out. */
function generic(message: string): string {
  return message.replace(/\b(parameter|property) [\w.-]+/g, '$1 …').replace(/"[^"]*"/g, '"…"').replace(/'[^']*'/g, "'…'").replace(/\$\w+/g, '$…').replace(/\b(get|post|put|delete|patch) \/\S*/gi, '$1 …')
    .replace(/\b(Realworld|realworld_)\w*/g, '…').replace(/\d+/g, 'N').slice(0, 160);
}

/** Whether the failure is the mock's: Prism could not load the document, refused the request or made up an answer its own schema refuses. */
export function isMock(outcome: Outcome): boolean {
  // Prism's check of the request is right: a request it finds against the contract is the gateway's.
  if (/\[VALIDATOR\] ✖ error Request /.test(outcome.cause ?? '')) return false;
  return Boolean(outcome.mock) || /\[Prism: .*Violation: response/.test(outcome.cause ?? '');
}

/** Whose the failure is: the mock's, the document's (a reference outside itself), else the gateway's (its build, its schema or its answer). */
export function whose(outcome: Outcome): 'mock' | 'document' | 'gateway' {
  if (isMock(outcome)) return 'mock';
  return /^document /.test(outcome.cause ?? '') ? 'document' : 'gateway';
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ').slice(0, 400);

export function markdown(outcomes: Outcome[], rule: string, started: Date, minutes: number, command: string): string {
  const built = outcomes.filter((one) => one.built).length;
  const answered = outcomes.filter((one) => one.answered).length;
  const mock = outcomes.filter(isMock);
  const servable = outcomes.length - mock.length;
  const groups = new Map<string, Outcome[]>();
  for (const one of outcomes) if (!one.answered) groups.set(group(one.cause), [...(groups.get(group(one.cause)) ?? []), one]);
  const rows = [...groups].sort((a, b) => b[1].length - a[1].length)
    .map(([name, list]) => `| ${cell(name)} | ${whose(list[0]!)} | ${list.length} | ${cell(list[0]!.id)}: ${cell(list[0]!.cause!)} |`);
  return `# Real-world OpenAPI corpus: how many providers answer through the gateway

\`${command}\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${minutes.toFixed(1)} minutes for ${outcomes.length} documents,
parallel workers (\`--jobs\`, 2 by default), each with its own copy of the project: ${(minutes * 60 / Math.max(outcomes.length, 1)).toFixed(0)} s a document
in all; one worker spends about twice that on one (Prism's start, \`source:add\` rebuilding the composition and the bundle, the gateway's start, one read).
After each document the copy's \`.meshrc.yaml\`, \`sources/\` and \`.mesh/\` are put back as they were
after the first build (what \`source:remove\` leaves, without its second rebuild; \`--remove\` runs \`source:remove\` instead).

Sample rule: ${rule}

Each document is served by \`prism mock -d --seed 1\` on loopback and added to one copy of the project with
\`npm run source:add -- realworld <file> --endpoint <prism> [--auth …] [--reads …]\` (the \`--auth\` options from its
security schemes; the printed variables set to dummy values; OAuth2 client credentials against a loopback token endpoint;
in a document with no GET, its POSTs whose operationId or path says they read declared with \`--reads\`, or all its POSTs where none says so),
then one Query root field is asked with arguments filled from the contract.

## Totals

| | documents |
| --- | --- |
| sample | ${outcomes.length} |
| built (source:add exit 0) | ${built} |
| answered (HTTP 200, data for the field, no errors) | ${answered} |
| failed for a cause of the mock (Prism) | ${mock.length} |
| failed for a cause of the gateway | ${outcomes.filter((one) => !one.answered && whose(one) === 'gateway').length} |
| failed for a cause of the document | ${outcomes.filter((one) => !one.answered && whose(one) === 'document').length} |
| answered out of the documents the mock can serve | ${answered} / ${servable} = ${servable ? ((100 * answered) / servable).toFixed(1) : '0'} % |

## Failures by cause

| cause | whose | documents | example (document: its message) |
| --- | --- | --- | --- |
${rows.join('\n')}

## Per document

| id | original format | --auth | built | field asked | answered, or cause |
| --- | --- | --- | --- | --- | --- |
${outcomes.map((one) => `| ${cell(one.id)} | ${one.origin} | ${cell(one.auth || '—')} | ${one.built === undefined ? '—' : one.built ? 'yes' : 'no'} | ${cell(one.field ?? '—')} | ${one.answered ? 'answered' : `${isMock(one) ? '(mock) ' : ''}${cell(one.cause!)}`} |`).join('\n')}
`;
}
