import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Namespace tests create and delete network namespaces; running files in parallel is fine because
    // every test names its namespaces with its own prefix.
    pool: 'forks',
  },
});
