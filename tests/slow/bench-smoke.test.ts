/**
 * A small run of the benchmark harness (bench/bench.mjs): generates a few thousand rows, runs
 * `gap` and `transition` with ska-analyze and with DuckDB, and checks that the figures match, on
 * the export and on the same rows in no order (--shuffled).
 * The full-size benchmark (`npm run bench`) is not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = mkdtempSync(join(tmpdir(), 'ska-bench-smoke-'));

afterAll(() => {
  rmSync(OUT, { recursive: true, force: true });
});

describe('npm run bench, small', () => {
  it('times both tools on a small export and finds the same figures', () => {
    // Its own output folder, so parallel test runs never share a half-written export.
    const result = spawnSync(process.execPath, ['bench/bench.mjs', '--pupils', '300', '--years', '2', '--shuffled', '--out', OUT], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 90_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(result.stdout).toMatch(/analysis\s+tool\s+wall s\s+peak RSS MB\s+ratio ska\/DuckDB/);
    expect(result.stdout).toMatch(/^gap: figures match/m);
    expect(result.stdout).toMatch(/^transition: figures match/m);
    expect(result.stdout).toMatch(/^gap\s+DuckDB\s+\d+\.\d\d\s+\d+/m);
    expect(result.stdout).toMatch(/^transition\s+DuckDB\s+\d+\.\d\d\s+\d+/m);
    // --shuffled: the same rows in no order give ska-analyze the same figures, and DuckDB's match them.
    expect(result.stdout).toContain('ska-analyze gap: figures identical to the ordered file\'s');
    expect(result.stdout).toContain('ska-analyze transition: figures identical to the ordered file\'s');
    expect(result.stdout.split('Rows in no order:')[1]).toMatch(/^gap: figures match[\s\S]*^transition: figures match/m);
  }, 120_000);
});
