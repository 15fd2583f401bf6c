/**
 * The credentials a source declares in its manifest (`sources/<name>/source.json`, "credentials"),
 * read in two steps: the shape when the manifest is read (each kind's fields, and every secret
 * written as an environment variable, `{env.NAME}`, never as itself), then the values from the
 * environment when the gateway's configuration is loaded. Each wrong or missing value stops the
 * start with one line that names the source, the field and the variable.
 *
 *   "credentials": [{ "type": "apiKey", "in": "query", "name": "api_key", "value": "{env.SHIPPING_API_KEY}" }]
 *
 * The gateway puts them on each call in gateway/upstream/credentials/, one file per kind.
 */
import type { Env } from '../../lib/env.js';
import { isHeaderName } from '../../lib/http.js';

/** A credential as its manifest declares it: the kind's fields, values possibly `{env.NAME}`. */
export type DeclaredCredential = { type: CredentialType } & Record<string, unknown>;

/** A credential with its values read from the environment. */
export type CredentialSettings =
  | { type: 'apiKey'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | {
    type: 'oauth2ClientCredentials';
    /** An absolute URL, or a path under the source's URL (`/oauth/token`). */
    tokenUrl: string;
    clientId: string;
    clientSecret: string;
    scopes: string[];
    audience?: string;
    /** How the client proves itself to the token endpoint: HTTP Basic (RFC 6749's default) or form fields. */
    clientAuthentication: 'basic' | 'body';
    /** The variables the values came from, named when the provider refuses them. */
    variables: string[];
  }
  | { type: 'wsSecurity'; username: string; password: string; passwordType: 'text' | 'digest' }
  | { type: 'soapHeaders'; values: Record<string, unknown> }
  | { type: 'mutualTls'; cert: string; key: string; ca?: string; passphrase?: string };

export type CredentialType = CredentialSettings['type'];

interface FieldRule {
  /** A secret is only ever `{env.NAME}` (with words around it, such as `Token {env.NAME}`). */
  secret?: boolean;
  optional?: boolean;
  /** The values it may take, when it is one of a few. */
  oneOf?: readonly string[];
  list?: boolean;
  object?: boolean;
}

const KINDS: Record<CredentialType, Record<string, FieldRule>> = {
  apiKey: { in: { oneOf: ['header', 'query'] }, name: {}, value: { secret: true } },
  bearer: { token: { secret: true } },
  basic: { username: {}, password: { secret: true } },
  oauth2ClientCredentials: {
    tokenUrl: {}, clientId: {}, clientSecret: { secret: true }, scopes: { optional: true, list: true },
    audience: { optional: true }, clientAuthentication: { optional: true, oneOf: ['basic', 'body'] },
  },
  wsSecurity: { username: {}, password: { secret: true }, passwordType: { optional: true, oneOf: ['text', 'digest'] } },
  soapHeaders: { values: { object: true } },
  mutualTls: { cert: { secret: true }, key: { secret: true }, ca: { optional: true }, passphrase: { optional: true, secret: true } },
};

export const CREDENTIAL_TYPES = Object.keys(KINDS) as CredentialType[];

const PLACEHOLDER = /\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Checks the shape of a manifest's "credentials" (an object or a list of them); `fail` throws with
 * the reason. The values stay as written: `resolveCredentials` reads them from the environment.
 */
export function checkDeclaredCredentials(raw: unknown, fail: (why: string) => never): DeclaredCredential[] {
  if (raw === undefined) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((entry, index) => {
    const at = `credentials[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) fail(`has ${at} that is not an object`);
    const declared = entry as Record<string, unknown>;
    const type = declared.type as CredentialType;
    const fields = KINDS[type];
    if (!fields) fail(`has ${at}.type ${JSON.stringify(declared.type)}, which is none of ${CREDENTIAL_TYPES.join(', ')}`);
    for (const key of Object.keys(declared)) {
      if (key !== 'type' && !(key in fields)) fail(`has ${at}.${key}, which a ${type} credential does not take (it takes ${Object.keys(fields).join(', ')})`);
    }
    for (const [key, rule] of Object.entries(fields)) checkField(declared[key], rule, `${at}.${key}`, fail);
    if (type === 'apiKey' && declared.in === 'header' && !isHeaderName(String(declared.name))) {
      fail(`has ${at}.name ${JSON.stringify(declared.name)}, which is not an HTTP header name`);
    }
    return declared as DeclaredCredential;
  });
}

/** Private: one field's shape; secrets must name a variable. */
function checkField(value: unknown, rule: FieldRule, at: string, fail: (why: string) => never): void {
  if (value === undefined) {
    if (!rule.optional) fail(`has no ${at}`);
    return;
  }
  if (rule.list) {
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) fail(`has ${at} that is not a list of strings`);
    return;
  }
  if (rule.object) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`has ${at} that is not an object`);
    for (const text of stringsIn(value)) {
      if (!hasPlaceholder(text)) fail(`holds a secret in ${at}: write the environment variable that holds it instead, as {env.NAME}`);
    }
    return;
  }
  if (typeof value !== 'string' || value.trim() === '') fail(`has ${at} that is not a non-empty string`);
  const text = value as string;
  if (rule.oneOf && !rule.oneOf.includes(text)) fail(`has ${at} ${JSON.stringify(text)}, which is none of ${rule.oneOf.join(', ')}`);
  if (rule.secret && !hasPlaceholder(text)) fail(`holds a secret in ${at}: write the environment variable that holds it instead, as {env.NAME}`);
}

function hasPlaceholder(text: string): boolean {
  return new RegExp(PLACEHOLDER.source).test(text);
}

/** Private: every string inside a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}

/**
 * A source's credentials with their `{env.NAME}` values read from `env`; a variable that is unset
 * throws, through `fail`, one line naming it and what it is for.
 */
export function resolveCredentials(
  source: string, declared: readonly DeclaredCredential[], env: Env, file: string, fail: (message: string) => never,
): CredentialSettings[] {
  return declared.map((credential, index) => {
    const used: string[] = [];
    const fill = (value: unknown, at: string): unknown => {
      if (typeof value === 'string') {
        return value.replace(PLACEHOLDER, (_, name: string) => {
          const set = env[name]?.trim();
          if (!set) fail(`${name} must be set: ${file} sends it to ${source} (credentials[${index}].${at}, of its ${credential.type} credential), but it is missing.`);
          used.push(name);
          return set;
        });
      }
      if (Array.isArray(value)) return value.map((item, position) => fill(item, `${at}[${position}]`));
      if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, `${at}.${key}`)]));
      }
      return value;
    };
    const filled = Object.fromEntries(Object.entries(credential).map(([key, value]) => [key, key === 'type' ? value : fill(value, key)]));
    switch (credential.type) {
      case 'oauth2ClientCredentials':
        return { scopes: [], clientAuthentication: 'basic', ...filled, variables: [...new Set(used)] } as unknown as CredentialSettings;
      case 'wsSecurity':
        return { passwordType: 'text', ...filled } as CredentialSettings;
      default:
        return filled as CredentialSettings;
    }
  });
}
