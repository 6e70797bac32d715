import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// npm test: everything but tests/slow (the benchmark smoke run), which `npm run test:slow` runs.
// One worker per core: vitest's default leaves one core idle, which on a 2-core machine halves the speed.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/slow/**', 'node_modules/**'],
    maxWorkers: availableParallelism(),
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
