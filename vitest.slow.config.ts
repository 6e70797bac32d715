import { defineConfig } from 'vitest/config';

// npm run test:slow: what is genuinely slow (the benchmark harness end to end). .ci/run runs it too.
export default defineConfig({
  test: {
    include: ['tests/slow/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest-slow.json' },
    testTimeout: 120_000,
  },
});
