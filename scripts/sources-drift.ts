/**
 * `npm run sources:drift [-- --json] [--source <name>]…`: whether each provider's live API still
 * publishes the contract pinned in sources/<name>/, read with the source's URL and credentials from
 * the environment (`.env` when there is one), and what a change would do to the public schema
 * (gateway/compose/contract-drift.ts). Exits 0 with no drift, 1 when drift would break known
 * clients, 2 when a source could not be checked, 3 when there is drift that breaks no known client.
 */
import { existsSync } from 'node:fs';
import { checkDrift, driftExitCode, type DriftReport } from '../gateway/compose/contract-drift.js';
import { describeChange } from '../gateway/compose/schema-changes.js';

const USAGE = 'usage: npm run sources:drift [-- --json] [--source <name>]...';

function options(args: string[]): { json: boolean; only?: string[] } {
  const only: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') json = true;
    else if (args[i] === '--source' && args[i + 1] && !args[i + 1]!.startsWith('--')) only.push(args[++i]!);
    else throw new Error(`${args[i]} is not an option here (${USAGE})`);
  }
  return { json, ...(only.length ? { only } : {}) };
}

function describe(report: DriftReport): string {
  const lines: string[] = [];
  for (const drift of report.sources) {
    const where = drift.from ? ` (${drift.from})` : '';
    switch (drift.status) {
      case 'unchanged':
        lines.push(`${drift.source}: as pinned${where}.`);
        break;
      case 'unpublished':
      case 'unchecked':
        lines.push(`${drift.source}: ${drift.status}: ${drift.reason}.`);
        break;
      case 'changed':
        lines.push(`${drift.source}: its live contract changed${where}${drift.breaksClients ? ', and it would break known clients' : ''}.`);
        if (drift.reason) lines.push(`  ${drift.reason}`);
        if (drift.contract?.length) lines.push('  In its contract:', ...drift.contract.map((change) => `    ${describeChange(change)}`));
        if (drift.public) lines.push(drift.public.changes.length ? '  In the public schema:' : '  In the public schema: no change.', ...drift.public.changes.map((change) => `    ${describeChange(change)}`));
    }
  }
  const code = driftExitCode(report);
  lines.push('', [
    'No drift: every live contract read is the pinned one.',
    'Drift that known clients would meet: update the source (npm run source:add -- --update <name> <contract>) only once clients are ready.',
    'Some sources could not be checked (above).',
    'Drift, none of it breaking known clients: update the sources with npm run source:add -- --update <name> <contract>.',
  ][code]!);
  return lines.join('\n');
}

try {
  const given = options(process.argv.slice(2));
  if (existsSync('.env')) process.loadEnvFile('.env');
  const report = await checkDrift(process.env, given.only ? { only: given.only } : {});
  console.log(given.json ? JSON.stringify(report, null, 2) : describe(report));
  process.exit(driftExitCode(report));
} catch (error) {
  console.error(`sources:drift: ${(error as Error).message.split('\n')[0]}`);
  process.exit(2);
}
