/**
 * How the configuration reads an environment variable: typed readers whose refusals all name the
 * variable and what it must be ("`X` must be …, but got: …"), and never repeat a secret's value.
 * A `ConfigError` stops the start with its one line.
 *
 *   const read = envReader(process.env);
 *   read.port('PORT', 4000);                        // 4000, or "PORT must be a port number …"
 *   read.oneOf('COMPRESSION', ['on', 'off'], 'on');
 */
import { intFromEnv, type Env } from '../../lib/env.js';
import { isHeaderName } from '../../lib/http.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type EnvReader = ReturnType<typeof envReader>;

/** Typed readers of `env` whose errors all read "`X` must be …, but got: …". */
export function envReader(env: Env) {
  const required = (name: string, what: string): string => {
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      throw new ConfigError(`${name} must be set to ${what} (see .env.example), but it is missing.`);
    }
    return value.trim();
  };
  return {
    string: (name: string, fallback: string) => env[name]?.trim() || fallback,
    secret: (name: string) => required(name, 'the credential Switchboard uses toward that upstream'),
    url(name: string): string {
      const value = required(name, 'the http(s) URL of that upstream');
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new ConfigError(`${name} must be an http(s) URL, but got: ${JSON.stringify(value)}.`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(`${name} must be an http(s) URL, but got: ${JSON.stringify(value)}.`);
      }
      return value.replace(/\/+$/, '');
    },
    /** A redis:// or rediss:// URL; the message never repeats the value, which may hold a password. */
    redisUrl(name: string): string {
      const value = required(name, 'a redis:// URL');
      const protocol = URL.canParse(value) ? new URL(value).protocol : '';
      if (protocol !== 'redis:' && protocol !== 'rediss:') {
        throw new ConfigError(`${name} must be a redis:// or rediss:// URL (redis://[:password@]host:port[/db]); the value set is not one.`);
      }
      return value;
    },
    /** A secret of at least `min` characters; the message never repeats it. */
    token(name: string, min: number): string {
      const value = env[name]!.trim();
      if (value.length < min) throw new ConfigError(`${name} must hold at least ${min} characters; the value set holds ${value.length}.`);
      return value;
    },
    port(name: string, fallback: number): number {
      const value = env[name];
      if (value === undefined || value === '') return fallback;
      const port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535) {
        throw new ConfigError(`${name} must be a port number from 0 to 65535, but got: ${JSON.stringify(value)}.`);
      }
      return port;
    },
    integer(name: string, fallback: number, min: number, max: number): number {
      try {
        return intFromEnv(env, name, fallback, min, max);
      } catch (error) {
        throw new ConfigError((error as Error).message);
      }
    },
    /** A comma-separated list of HTTP header names, lower-cased; empty when unset. */
    headerList(name: string): string[] {
      const names = (env[name] ?? '').split(',').map((item) => item.trim().toLowerCase()).filter(Boolean);
      const bad = names.find((item) => !isHeaderName(item));
      if (bad !== undefined) {
        throw new ConfigError(`${name} must be a comma-separated list of HTTP header names, but got: ${JSON.stringify(bad)}.`);
      }
      return names;
    },
    /** A file name without a folder (`front-page.graphql`). */
    fileName(name: string): string {
      const value = env[name]!.trim();
      if (!/^[\w.-]+\.graphql$/.test(value)) throw new ConfigError(`${name} must name a .graphql file of test/operations/, such as front-page.graphql, but got: ${JSON.stringify(value)}.`);
      return value;
    },
    boolean(name: string, fallback: boolean): boolean {
      const value = env[name]?.trim();
      if (value === undefined || value === '') return fallback;
      if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false, but got: ${JSON.stringify(value)}.`);
      return value === 'true';
    },
    /** A comma-separated list of origins (`https://shop.example`), or `*`. */
    list(name: string, fallback: string[]): string[] {
      const value = env[name]?.trim();
      if (value === undefined || value === '') return fallback;
      const origins = value.split(',').map((item) => item.trim()).filter(Boolean);
      const bad = origins.find((origin) => origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin));
      if (bad !== undefined) throw new ConfigError(`${name} must be * or a comma-separated list of origins such as https://shop.example, but got: ${JSON.stringify(bad)}.`);
      return origins;
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = env[name];
      if (value === undefined || value === '') return fallback;
      if (!allowed.includes(value as T)) {
        throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, but got: ${JSON.stringify(value)}.`);
      }
      return value as T;
    },
  };
}
