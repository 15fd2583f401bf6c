/**
 * Reading environment variables, for the gateway and the demo world alike: each reader names the
 * variable and what it must be when the value is wrong.
 *
 *   intFromEnv(process.env, 'PORT', 4000, 0, 65_535);   // 4000 when PORT is unset
 */

export type Env = Record<string, string | undefined>;

/** The integer in variable `name`, or `fallback` when it is unset. */
export function intFromEnv(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, but got: ${JSON.stringify(raw)}.`);
  }
  return value;
}
