/**
 * Pinning a contract as a source's: `npm run source:add` pins a new source's, `source:add --update`
 * a provider's new version over the old one, and `npm run sources:drift` the live one in a copy of
 * the project. The contract's files go to `sources/<name>/` (its manifest and module stay); when
 * the file the handler reads is named differently, the manifest, `.meshrc.yaml` and a SOAP source's
 * module follow. Until `discard`, `restore` puts everything back as it was.
 *
 *   const pinned = repinSource(root, manifest, readContract('/home/me/carrier-v2.yaml'));
 *   try { build(); pinned.discard(); } catch (error) { pinned.restore(); throw error; }
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseDocument, type YAMLSeq } from 'yaml';
import { MANIFEST, type SourceManifest } from '../config/source-manifests.js';
import { ContractError, type Contract } from './contracts.js';

/** The files besides the contract's in a source's folder, which a new version of the contract leaves. */
const KEPT = [MANIFEST, 'source.ts'];

export interface Repinned {
  /** Puts the source's folder and `.meshrc.yaml` back as they were. */
  restore(): void;
  /** Forgets what was there before. */
  discard(): void;
}

/** The contract's files, as pinned, in `folder`. */
export function writePins(contract: Contract, folder: string): void {
  for (const pin of contract.pins) {
    const target = join(folder, pin.to);
    mkdirSync(dirname(target), { recursive: true });
    if ('text' in pin) writeFileSync(target, pin.text);
    else cpSync(pin.from, target);
  }
}

/** Pins `contract` as the contract of the source `manifest` describes, in the project at `root`. */
export function repinSource(root: string, manifest: SourceManifest, contract: Contract): Repinned {
  if (contract.kind !== manifest.kind) {
    throw new ContractError(`it is ${article(contract.format)} ${contract.format} contract, but ${manifest.name} is ${article(manifest.kind)} ${manifest.kind} source`);
  }
  const folder = join(root, 'sources', manifest.name);
  const meshrcPath = join(root, '.meshrc.yaml');
  const meshrcText = readFileSync(meshrcPath, 'utf8');
  const parked = join(root, `.source-${manifest.name}.before-${process.pid}`);
  rmSync(parked, { recursive: true, force: true });
  cpSync(folder, parked, { recursive: true });
  const restore = () => {
    rmSync(folder, { recursive: true, force: true });
    renameSync(parked, folder);
    writeFileSync(meshrcPath, meshrcText);
  };
  try {
    for (const entry of readdirSync(folder)) if (!KEPT.includes(entry)) rmSync(join(folder, entry), { recursive: true, force: true });
    writePins(contract, folder);
    if (contract.main !== manifest.contract) followRename(root, manifest, contract.main, meshrcText);
  } catch (error) {
    restore();
    throw error;
  }
  return { restore, discard: () => rmSync(parked, { recursive: true, force: true }) };
}

/** Private: the manifest, `.meshrc.yaml` and a SOAP source's module name the newly pinned file. */
function followRename(root: string, manifest: SourceManifest, main: string, meshrcText: string): void {
  const folder = join(root, 'sources', manifest.name);
  const manifestPath = join(folder, MANIFEST);
  const raw = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(manifestPath, `${JSON.stringify({ ...raw, contract: main }, null, 2)}\n`);
  const module = join(folder, 'source.ts');
  if (manifest.kind === 'soap' && existsSync(module)) {
    const text = readFileSync(module, 'utf8');
    const named = [`'${manifest.contract}'`, `"${manifest.contract}"`].find((literal) => text.includes(literal));
    if (!named) throw new ContractError(`sources/${manifest.name}/source.ts does not name ${manifest.contract}: name the new WSDL ${manifest.contract}`);
    writeFileSync(module, text.replace(named, JSON.stringify(main)));
    return;
  }
  const meshrc = parseDocument(meshrcText);
  const entry = (meshrc.get('sources') as YAMLSeq<{ get(key: string): unknown; getIn(path: string[]): unknown; setIn(path: string[], value: unknown): void }>).items
    .find((item) => item.get('name') === manifest.name);
  const handler = manifest.kind === 'openapi' ? 'openapi' : 'graphql';
  const before = `./sources/${manifest.name}/${manifest.contract}`;
  if (!entry || entry.getIn(['handler', handler, 'source']) !== before) {
    throw new ContractError(`.meshrc.yaml does not read ${manifest.name}'s contract from ${before}: change its handler's source by hand`);
  }
  entry.setIn(['handler', handler, 'source'], `./sources/${manifest.name}/${main}`);
  writeFileSync(join(root, '.meshrc.yaml'), meshrc.toString({ lineWidth: 0 }));
}

/** Private: "an" before a vowel's sound, for messages. */
function article(word: string): string {
  return /^[aeiouAEIOU]/.test(word) ? 'an' : 'a';
}
