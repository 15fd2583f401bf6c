/**
 * The process's one set of upstream clients, created from the environment on first use. The gateway
 * loads the configuration before anything else, so a bad variable has stopped the start long before.
 */
import { loadConfig } from '../config.js';
import { createUpstreams, type Upstreams } from './upstreams.js';

let current: Upstreams | undefined;

export function upstreams(): Upstreams {
  current ??= createUpstreams(loadConfig(process.env));
  return current;
}
