/**
 * `npm run bench:contracts`: how long `npm run source:add` takes for each contract in
 * test/fixtures/contracts and for a large generated OpenAPI document (3,000 types) and WSDL (400 KB), in a copy of the
 * project, against the rebuild of Switchboard's own composition measured in the same run. Each is
 * added and removed `runs` times; the median is quoted. Written to bench/contracts.md and printed.
 *
 *   npm run bench:contracts               # 3 runs each
 *   npm run bench:contracts -- --runs 1
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyProject } from '../test/helpers/project-copy.js';
import { FIXTURES } from '../test/helpers/contract-upstreams.js';
import { writeLargeOpenApi, writeLargeWsdl } from '../test/helpers/large-contract.js';
import { median, ROOT } from './processes.js';
import { describeMachine } from './report.js';

const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : 3;
const project = copyProject();

const timed = (command: string[]): number => {
  const started = performance.now();
  const result = project.run('npm', ['run', '-s', ...command]);
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr.trim()}`);
  return performance.now() - started;
};

try {
  const large = join(project.root, 'large-provider.json');
  const { operations, bytes } = writeLargeOpenApi(large, { schemas: 3000 });
  const largeWsdl = join(project.root, 'large-erp.wsdl');
  const wsdlBytes = writeLargeWsdl(largeWsdl, { operations: 250 }).bytes;
  const contracts: { name: string; file: string; what: string; args: string[] }[] = [
    { name: 'carrier', file: join(FIXTURES, 'parcel-carrier.swagger.json'), what: 'Swagger 2.0, 5 types', args: ['--endpoint', 'http://127.0.0.1:9/v1'] },
    { name: 'payprovider', file: join(FIXTURES, 'payment-provider', 'openapi.yaml'), what: 'OpenAPI 3.0, oneOf/anyOf/allOf, 2 files', args: [] },
    { name: 'warehouse', file: join(FIXTURES, 'warehouse-bins.openapi31.yaml'), what: 'OpenAPI 3.1', args: ['--endpoint', 'http://127.0.0.1:9/api'] },
    { name: 'tracking', file: join(FIXTURES, 'tracking.graphql'), what: 'GraphQL SDL', args: ['--endpoint', 'http://127.0.0.1:9/graphql'] },
    { name: 'loyalty', file: join(FIXTURES, 'loyalty.introspection.json'), what: 'GraphQL introspection JSON', args: ['--endpoint', 'http://127.0.0.1:9/graphql'] },
    { name: 'tax', file: join(FIXTURES, 'tax-rates.wsdl'), what: 'WSDL, SOAP 1.1', args: [] },
    { name: 'lockers', file: join(FIXTURES, 'parcel-lockers.wsdl'), what: 'WSDL, 2 services, SOAP 1.1 and 1.2', args: [] },
    { name: 'fx', file: join(FIXTURES, 'fx-quotes', 'quotes.wsdl'), what: 'WSDL, rpc, imported XSD', args: [] },
    { name: 'erp', file: largeWsdl, what: `WSDL, 250 operations, ${Math.round(wsdlBytes / 1000)} KB`, args: [] },
    { name: 'large', file: large, what: `OpenAPI 3.0, 3,000 types, ${operations} operations, ${(bytes / 1e6).toFixed(1)} MB`, args: [] },
  ];
  const rows: string[] = [];
  const baseline = median(Array.from({ length: runs }, () => timed(['build'])));
  rows.push(`| Switchboard's own composition, rebuilt (\`npm run build\`): the baseline | ${(baseline / 1000).toFixed(1)} | 1.00× |`);
  for (const contract of contracts) {
    const times = Array.from({ length: runs }, () => {
      const ms = timed(['source:add', '--', contract.name, contract.file, ...contract.args]);
      timed(['source:remove', '--', contract.name]);
      return ms;
    });
    const ms = median(times);
    rows.push(`| \`${contract.name}\`: ${contract.what} | ${(ms / 1000).toFixed(1)} | ${(ms / baseline).toFixed(2)}× |`);
    console.log(rows.at(-1));
  }
  const report = [
    '# `npm run source:add`, timed',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:contracts\` (${runs} run(s) each, the median).`,
    '',
    '```',
    describeMachine(),
    '```',
    '',
    'Each figure is a whole `source:add` in a copy of the project: reading and pinning the contract, the rebuild of the',
    'composition with the new source (`mesh build`), the bundle of the gateway, and the list of new root fields.',
    '',
    '| contract | seconds | vs the baseline |',
    '| --- | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'contracts.md'), report);
  console.log(`\n${report}`);
} finally {
  project.remove();
}
