import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One file at a time: the Superset tests share the test Superset on port 8089.
  test: {
    testTimeout: 120_000,
    hookTimeout: 900_000,
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
  },
});
