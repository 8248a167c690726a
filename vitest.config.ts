import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // One fixed fast-check seed for every property (FC_SEED overrides it; docs/testing.md).
    setupFiles: ['test/setup/fast-check.ts'],
  },
});
