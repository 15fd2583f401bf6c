// The gateway serves anyone's sources: nothing in gateway/ or lib/ imports the demo world, and no
// gateway file names a demo source. The demo is configuration (.meshrc.yaml, sources/*/source.json,
// the SDL's @join, @owner and @event) and its own code (demo/, its graph's code in demo/graph/).
// The project's graph code reaches the gateway through its launchers, never by an import of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../gateway/config/project.js';

const DEMO_SOURCES = /\b(catalog|payments|inventory|reviews)\b/i;
const DEMO_IMPORT = /from '(\.\.\/)+demo\//;
const GRAPH_IMPORT = /^import .* from '#graph';/m;

function filesUnder(folder: string): string[] {
  return readdirSync(join(PROJECT_ROOT, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(PROJECT_ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

describe('the gateway knows no demo', () => {
  it('imports nothing from demo/, nor does lib/', () => {
    const importing = [...filesUnder('gateway'), ...filesUnder('lib')].filter((file) => DEMO_IMPORT.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
    expect(importing).toEqual([]);
  });

  it('is given the project\'s graph code rather than importing it', () => {
    expect(filesUnder('gateway').filter((file) => GRAPH_IMPORT.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')))).toEqual([]);
    // The launchers do import it: the one way in.
    expect(['scripts/start.ts', 'demo/launch.ts'].filter((file) => GRAPH_IMPORT.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')))).toEqual(['scripts/start.ts', 'demo/launch.ts']);
  });

  it('names no demo source', () => {
    const naming = filesUnder('gateway').filter((file) => DEMO_SOURCES.test(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
    expect(naming).toEqual([]);
  });
});
