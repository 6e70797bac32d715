import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { independentProportionDifferenceCI } from '../../src/analysis/stats.js';
import { type RunResult, runIn } from './run.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';

// Every run is in-process (runIn); none needs a real process. `transition … --format json -q`
// is run once (runOnce) for the two tests that need it.

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
type Row = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), 'ska-compare-'));
const last = join(dir, 'last-year.json');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('gap --compare-with last spring\'s run', () => {
  // Last spring's run, reproduced from this spring's exports.
  let before: RunResult;
  let lastRows: Row[];
  let now: RunResult;
  let report: { meta: Row; rows: Row[]; comparison: Row & { groups: Row[]; files: Row[] } };
  beforeAll(async () => {
    before = await runIn(['gap', ...DEMO, '--school-years', '..2023/24', '--format', 'json', '-q', '-o', last]);
    lastRows = (JSON.parse(readFileSync(last, 'utf8')) as { rows: Row[] }).rows;
    now = await runIn(['gap', ...DEMO, '--compare-with', last, '--format', 'json', '-q']);
    report = JSON.parse(now.stdout) as typeof report;
  }, HOOK_TIMEOUT);
  const group = (school: string | null, subject: string, level: number) =>
    report.comparison.groups.find((g) => g.school === school && g.subject === subject && g.grade_level === level && g.area !== undefined && (school !== null || g.level === 'total'))!;

  it('compares the latest year of each run: 2023/24 → 2024/25', () => {
    expect(before.status).toBe(0);
    expect(now.status).toBe(0);
    expect(report.comparison.school_year_before).toBe('2023/24');
    expect(report.comparison.school_year_after).toBe('2024/25');
    expect(report.meta.parameters).toMatchObject({ compare_with: last });
  });

  it('takes "before" from the earlier JSON and "after" from this run, with a Newcombe interval', () => {
    const g = group('Solåsens skola', 'MA', 6);
    const old = lastRows.find((r) => r.school === 'Solåsens skola' && r.subject === 'MA' && r.grade_level === 6 && r.school_year === '2023/24')!;
    const cur = report.rows.find((r) => r.school === 'Solåsens skola' && r.subject === 'MA' && r.grade_level === 6 && r.school_year === '2024/25')!;
    expect(g.status).toBe('both');
    expect(g.n_before).toBe(old.n);
    expect(g.n_after).toBe(cur.n);
    expect(g.share_higher_before).toBe(old.share_higher);
    expect(g.share_higher_after).toBe(cur.share_higher);
    expect(g.share_higher_change).toBeCloseTo((cur.share_higher as number) - (old.share_higher as number), 12);
    // Counts behind the shares, for an independent interval.
    const x1 = Math.round((cur.share_higher as number) * (cur.n as number));
    const x0 = Math.round((old.share_higher as number) * (old.n as number));
    const ci = independentProportionDifferenceCI(x1, cur.n as number, x0, old.n as number);
    const sign = ci.low > 0 ? 'up' : ci.high < 0 ? 'down' : 'stable';
    expect(g.share_higher_change_sign).toBe(sign);
    expect(g.share_higher_change_ci_low).toBeCloseTo(ci.low, 12);
    expect(g.share_higher_change_ci_high).toBeCloseTo(ci.high, 12);
  });

  it('says the exports are the same bytes as last time (run manifest)', () => {
    expect(report.comparison.files.map((f) => f.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
  });

  it('shows no figure for a group hidden on either side', () => {
    for (const g of report.comparison.groups.filter((x) => x.school === 'Tallmyrens skola')) {
      expect(g.share_higher_change).toBeNull();
      expect(g.n_before === null || g.n_after === null).toBe(true);
    }
  });

  it('adds the comparison under the table and as CSV columns on this year\'s rows', async () => {
    const table = await runIn(['gap', ...DEMO, '--compare-with', last, '-q']);
    expect(table.stdout).toContain(`Förändring sedan förra körningen, ${last} (2023/24 → 2024/25)`);
    const csv = await runIn(['gap', ...DEMO, '--compare-with', last, '--format', 'csv', '-q']);
    const [header = '', ...lines] = csv.stdout.trim().split(/\r?\n/);
    const cols = header.split(',');
    expect(cols).toContain('share_higher_before');
    const year = cols.indexOf('school_year');
    const beforeCol = cols.indexOf('before_school_year');
    for (const line of lines) {
      const cells = line.split(',');
      if (cells[year] !== '2024/25') expect(cells[beforeCol]).toBe('');
    }
    expect(lines.some((line) => line.split(',')[beforeCol] === '2023/24')).toBe(true);
  });

  it('refuses a run of another command or another grouping, naming the file', async () => {
    const trendJson = join(dir, 'transition.json');
    writeFileSync(trendJson, (await runOnce(['transition', ...DEMO, '--format', 'json', '-q'])).stdout);
    const wrong = await runIn(['gap', ...DEMO, '--compare-with', trendJson, '-q']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('gjord av "ska-analyze transition"');
    const otherBy = await runIn(['gap', ...DEMO, '--by', 'school_year,grade_level,area,subject', '--compare-with', last, '-q']);
    expect(otherBy.status).toBe(2);
    expect(otherBy.stderr).toContain('den körningen grupperade efter school_year,grade_level,area,school,subject; kör med --by school_year,grade_level,area,school,subject för att jämföra');
    const english = await runIn(['gap', ...DEMO, '--by', 'school_year,grade_level,area,subject', '--compare-with', last, '-q', '--lang', 'en']);
    expect(english.stderr).toContain('run with --by school_year,grade_level,area,school,subject');
  });

  it('works for transition too', async () => {
    const lastTransition = join(dir, 'last-transition.json');
    writeFileSync(lastTransition, (await runIn(['transition', ...DEMO, '--by', 'school_year,area,subject', '--school-years', '..2023/24', '--format', 'json', '-q'])).stdout);
    const out = await runIn(['transition', ...DEMO, '--by', 'school_year,area,subject', '--compare-with', lastTransition, '--format', 'json', '-q']);
    expect(out.status).toBe(0);
    const cmp = (JSON.parse(out.stdout) as { comparison: { groups: Row[]; school_year_before: string } }).comparison;
    // With exports up to 2023/24, the last år 6 test year is 2023/24.
    expect(cmp.school_year_before).toBe('2023/24');
    const norra = cmp.groups.find((g) => g.area === 'Norra' && g.subject === 'MA')!;
    expect(norra.verdict_before).toBe('strict');
    expect(norra.verdict_after).toBe('strict');
  });

  it('shows no figure below this run\'s --min-group, even when the earlier run showed it', async () => {
    const loose = join(dir, 'min2.json');
    expect((await runIn(['gap', ...DEMO, '--school-years', '..2023/24', '--min-group', '2', '--format', 'json', '-q', '-o', loose])).status).toBe(0);
    const out = await runIn(['gap', ...DEMO, '--compare-with', loose, '--format', 'json', '-q']);
    const cmp = (JSON.parse(out.stdout) as { comparison: { hidden_before: number; groups: Row[]; parameters_changed: Record<string, unknown> } }).comparison;
    expect(cmp.parameters_changed.min_group).toEqual([2, 10]);
    expect(cmp.hidden_before).toBeGreaterThan(0);
    for (const g of cmp.groups) {
      if (g.n_before !== null) expect(g.n_before as number).toBeGreaterThanOrEqual(10);
      else for (const key of Object.keys(g).filter((k) => k.endsWith('_before') && k !== 'school_year_before')) expect(g[key], key).toBeNull();
    }
    const table = (await runIn(['gap', ...DEMO, '--compare-with', loose, '-q'])).stdout;
    expect(table).toMatch(/Tallmyrens skola\s+│\s+\.\. → \.\. │/);
    expect(table).toContain('visas utan siffror: dolda där, eller färre än 10 elever');
  });

  it('needs school_year in --by and a by in the earlier file', async () => {
    const pooled = join(dir, 'pooled-transition.json');
    writeFileSync(pooled, (await runOnce(['transition', ...DEMO, '--format', 'json', '-q'])).stdout);
    const out = await runIn(['transition', ...DEMO, '--compare-with', pooled, '-q']);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain('lägg till school_year i --by');
    const noBy = join(dir, 'no-by.json');
    writeFileSync(noBy, JSON.stringify({ meta: { command: 'gap', parameters: {} }, rows: [] }));
    const missing = await runIn(['gap', ...DEMO, '--compare-with', noBy, '-q', '--lang', 'en']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('meta.parameters.by is missing');
  });

  it('prints the transition difference in procentenheter on both sides', async () => {
    // Its own earlier run (not the file of the test above: tests may run in any order).
    const lastTransition = join(dir, 'last-transition-table.json');
    writeFileSync(lastTransition, (await runIn(['transition', ...DEMO, '--by', 'school_year,area,subject', '--school-years', '..2023/24', '--format', 'json', '-q'])).stdout);
    const table = (await runIn(['transition', ...DEMO, '--by', 'school_year,area,subject', '--compare-with', lastTransition, '-q'])).stdout;
    const norra = table.split('\n').find((line) => line.includes('Norra') && line.includes('→') && /procent|[−+]\d+ → [−+]\d+/.test(line)) ?? '';
    expect(norra).toMatch(/[−+]\d{1,2} → [−+]\d{1,2} \([−+]?\d+/);
  });
});
