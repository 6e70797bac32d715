import { defineConfig } from 'vitest/config';

// npm test: everything but tests/slow (the benchmark smoke run), which `npm run test:slow` runs.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/slow/**', 'node_modules/**'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    testTimeout: 30_000,
  },
});
