/**
 * The bundle's source map, kept beside it (`.mesh/start.mjs.map`) for bench/profile.ts to name the
 * bundle's frames; the bundle does not link to it, so nothing reads it at start.
 */

/**
 * The source map `map` of `code`, moved to match `asciiOnly(code)`: on a line with characters outside
 * ASCII, each position comes 5 columns later for each UTF-16 unit before it that became a 6-unit
 * `\uXXXX`. Only the first field of each segment (its column in the bundle) changes, and only on those
 * lines: it is the one field coded from 0 at each line's start, as the difference from the segment before.
 */
export function mapAfterAsciiOnly(map: string, code: string): string {
  const parsed = JSON.parse(map) as { mappings: string };
  const lines = code.split('\n');
  parsed.mappings = parsed.mappings
    .split(';')
    .map((segments, line) => {
      const wide = [...(lines[line] ?? '').matchAll(/[^\0-\x7f]/g)].map((match) => match.index);
      if (wide.length === 0 || segments === '') return segments;
      let column = 0;
      let moved = 0;
      return segments
        .split(',')
        .map((segment) => {
          const [delta, rest] = firstVlq(segment);
          column += delta;
          const next = column + 5 * wide.filter((at) => at < column).length;
          const shifted = vlq(next - moved) + rest;
          moved = next;
          return shifted;
        })
        .join(',');
    })
    .join(';');
  return JSON.stringify(parsed);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Private: a source map segment's first number (a base-64 VLQ: 5 bits a digit, lowest first, sign in the lowest bit) and the rest of it. */
function firstVlq(segment: string): [number, string] {
  let value = 0;
  let at = 0;
  for (let shift = 0, digit = 32; digit & 32; shift += 5) {
    digit = BASE64.indexOf(segment[at++]!);
    value += (digit & 31) * 2 ** shift;
  }
  return [value % 2 ? -Math.floor(value / 2) : value / 2, segment.slice(at)];
}

/** Private: `n` as a base-64 VLQ, what firstVlq reads. */
function vlq(n: number): string {
  let value = n < 0 ? -n * 2 + 1 : n * 2;
  let text = '';
  do {
    const digit = value % 32;
    value = Math.floor(value / 32);
    text += BASE64[digit + (value > 0 ? 32 : 0)];
  } while (value > 0);
  return text;
}
