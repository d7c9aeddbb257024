import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports": Vite would pick its ESM build for our files while the
    // libraries Node loads get the CommonJS one, and graphql refuses types from two realms.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  ssr: {
    // @notes-stream/sdk (the sdk/ workspace) from its sources, so tests never run a stale dist/;
    // test/sdk-package.test.ts exercises the built package. The rest are Vite's defaults.
    resolve: { conditions: ['notes-stream-source', 'module', 'node', 'development|production'] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});
