/**
 * Where the project's own files are (contracts, example operations, the built composition), found
 * from this module's location, so that the same code finds them when it runs from its TypeScript
 * sources (tests, tsx) and from the bundled gateway that `npm start` runs (.mesh/start.mjs).
 *
 *   projectPath('sources', 'tax', 'tax.wsdl'); // '/srv/switchboard/sources/tax/tax.wsdl'
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The nearest folder at or above this module that holds the project's .meshrc.yaml. */
export const PROJECT_ROOT = findRoot(import.meta.dirname);

export function projectPath(...parts: string[]): string {
  return join(PROJECT_ROOT, ...parts);
}

/** The project's version, as its package.json gives it (traces carry it as `service.version`). */
export function projectVersion(): string {
  return (JSON.parse(readFileSync(projectPath('package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.meshrc.yaml')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Switchboard's project folder (with .meshrc.yaml) is not above ${from}.`);
  }
}
