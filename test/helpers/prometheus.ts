/**
 * A scrape as Prometheus reads it: the text is checked by Prometheus' own `promtool check metrics`
 * (Debian's prometheus package: the exposition format and the naming conventions), and its samples
 * are then read line by line for the tests' assertions.
 *
 *   const scrape = await scrapeMetrics(`${origin}/metrics`);
 *   scrape.problems;                                      // '' when promtool found nothing
 *   scrape.value('switchboard_graphql_errors_total', { code: 'SOAP_FAULT' });   // 2
 */
import { spawnSync } from 'node:child_process';

export interface Scrape {
  /** What promtool said of the text: empty when it is well-formed and follows the conventions. */
  problems: string;
  /** Every family named in a `# TYPE` line, with its type. */
  types: Map<string, string>;
  /** Every sample: its name (with `_bucket`, `_count`, `_sum`) and labels. */
  samples: { name: string; labels: Record<string, string>; value: number }[];
  /** The value of the sample with exactly these labels; undefined when there is none. */
  value(name: string, labels?: Record<string, string>): number | undefined;
}

export async function scrapeMetrics(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const response = await fetch(url, { headers });
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  return readScrape(await response.text());
}

export function readScrape(text: string): Scrape {
  const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (check.error) throw new Error(`promtool did not run (install Debian's prometheus package, as .ci/run does): ${check.error.message}`);
  const types = new Map<string, string>();
  const samples: Scrape['samples'] = [];
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (line === '' || line.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`Not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name!] = value!.replace(/\\(.)/g, (_, char: string) => (char === 'n' ? '\n' : char));
    }
    samples.push({ name: sample[1]!, labels, value: Number(sample[3]) });
  }
  const same = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([key, value]) => a[key] === value);
  return {
    problems: `${check.stdout}${check.stderr}`.trim() + (check.status === 0 ? '' : ` (exit ${check.status})`),
    types,
    samples,
    value: (name, labels = {}) => samples.find((one) => one.name === name && same(one.labels, labels))?.value,
  };
}
