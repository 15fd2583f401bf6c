import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (`main`) and ESM (`module`) builds. Node loads Mesh and yoga with the
    // CommonJS one; Vite would give our own files the other, and a schema built with one fails the
    // other's `instanceof GraphQLSchema`. One graphql for everything, as under plain Node.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each file gets its own process: the gateway's mesh and upstream clients are per process.
    pool: 'forks',
    // Two files at once, on CI's two cores: much of a file's time is spent waiting on builds and
    // upstreams (the suite took 628 s one file at a time, 455 s two at a time).
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The gateway's errors only: a line per request, and the fault tests' upstream warnings, would bury the report. A test
    // that reads the log sets its own level (test/logs.test.ts).
    env: { NODE_ENV: 'test', LOG_LEVEL: 'error' },
  },
});
