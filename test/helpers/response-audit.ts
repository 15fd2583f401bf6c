/**
 * Every JSON answer a test gateway gives is checked for what must never reach a client: a stack
 * trace, the address of an upstream, a credential or signing secret. The test helper installs it in
 * every gateway it starts and fails the test file, at close, naming each answer that leaked.
 */
import type { Plugin } from 'graphql-yoga';

export function findLeak(body: string, forbidden: readonly string[]): string | undefined {
  if (/\bat (?:async )?[\w.<>$]+ \(?(?:file:\/\/|\/|node:)[^)\s]*:\d+:\d+\)?/.test(body) || /"stack"\s*:/.test(body)) return 'a stack trace';
  const found = forbidden.find((secret) => secret !== '' && body.includes(secret));
  return found === undefined ? undefined : `${JSON.stringify(found)} (an upstream address or a secret)`;
}

export function createResponseAudit(forbidden: () => readonly string[]) {
  const findings: string[] = [];
  let checked = 0;
  const plugin: Plugin = {
    onResponse({ request, response }) {
      if (!/json/.test(response.headers.get('content-type') ?? '')) return;
      checked++;
      return response.clone().text().then((body) => {
        const leak = findLeak(body, forbidden());
        if (leak) findings.push(`${request.method} ${new URL(request.url).pathname} answered ${leak}: ${body.slice(0, 300)}`);
      }, () => undefined);
    },
  };
  return { plugin, findings, checked: () => checked };
}
