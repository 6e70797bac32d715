import { beforeAll, describe, expect, it } from 'vitest';
import { runIn } from './run.js';
import { HOOK_TIMEOUT, runOnce } from './shared-runs.js';

// Every run is in-process; none needs a real process. rows() runs each command line once
// (runOnce): the demo report is shared by the first and the last describe.

const DEMO = ['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--format', 'json', '--quiet'];

interface Row {
  school_year: string;
  grade_level: number;
  school: string | null;
  subject: string;
  suppressed: boolean;
  vs_total: string | null;
  std_gap: number | null;
  funnel_flag: string | null;
  funnel_flag_chance: string | null;
  std_gap_shrunk: number | null;
  p_adj: number | null;
  funnel_p: number | null;
}

type Summary = { tests: number; flagged: number; flagged_adjusted: number; expected_by_chance: number };
type Report = { rows: Row[]; meta: { multiple_comparisons: { funnel: Summary; funnel_chance_alone: Summary } } };

async function rows(args: string[] = []): Promise<Report> {
  const result = await runOnce([...DEMO, ...args]);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

const find = (list: Row[], year: string, level: number, school: string) => list.find((r) => r.school_year === year && r.grade_level === level && r.school === school && r.subject === 'MA')!;

describe('fair comparisons on the demo data (the cases in docs/metoder.md, "Fallen i demodata")', () => {
  let report: Report;
  beforeAll(async () => {
    report = await rows();
  }, HOOK_TIMEOUT);

  it('the ceiling school looks strict raw, but is within the funnel once test grades are accounted for', () => {
    const ekbacken = find(report.rows, '2022/23', 6, 'Ekbackens skola');
    expect(ekbacken.vs_total).toBe('lower');
    expect(ekbacken.funnel_flag).toBe('within');
    expect(Math.abs(ekbacken.std_gap!)).toBeLessThan(0.2);
  });

  it("a tiny school's noisy year is not flagged", async () => {
    const tiny = find((await rows(['--min-group', '5'])).rows, '2024/25', 9, 'Tallmyrens skola');
    expect(tiny.suppressed).toBe(false);
    expect(tiny.vs_total).toBe('lower');
    expect(tiny.funnel_flag).toBe('within');
  });

  it('the generous and the strict school are outside the limits, also once ordinary differences between schools are allowed for', () => {
    const solasen = find(report.rows, '2022/23', 6, 'Solåsens skola');
    const hagalund = find(report.rows, '2022/23', 6, 'Hagalunds skola');
    expect(solasen.funnel_flag_chance).toBe('above_99.8');
    expect(hagalund.funnel_flag_chance).toBe('below_99.8');
    expect(solasen.funnel_flag).toMatch(/^above_/);
    expect(hagalund.funnel_flag).toMatch(/^below_/);
  });

  it('reports flags against chance in meta, adjusted p-values per row, and --shrink', async () => {
    const funnel = report.meta.multiple_comparisons.funnel;
    expect(funnel.expected_by_chance).toBeCloseTo(funnel.tests * 0.05, 9);
    expect(funnel.flagged_adjusted).toBeLessThanOrEqual(funnel.flagged);
    // A school alone in its school year, grade level and subject has no rest to be compared with.
    const shown = report.rows.filter((r) => !r.suppressed && r.school !== null);
    const compared = shown.filter((r) => r.std_gap !== null);
    expect(compared.length).toBeGreaterThan(shown.length * 0.9);
    expect(shown.filter((r) => r.std_gap === null).every((r) => r.p_adj === null && r.funnel_flag === null)).toBe(true);
    expect(compared.every((r) => r.p_adj !== null && r.p_adj >= r.funnel_p!)).toBe(true);
    expect(shown.every((r) => r.std_gap_shrunk === null)).toBe(true);
    expect((await rows(['--shrink'])).rows.filter((r) => !r.suppressed && r.school !== null && r.std_gap !== null).every((r) => r.std_gap_shrunk !== null)).toBe(true);
  });
});

describe('--reference', () => {
  it('reads an earlier JSON report as the grading standard', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'ska-ref-'));
    const earlier = await runIn([...DEMO, '--by', 'school_year,grade_level,subject']);
    const file = join(dir, 'last-year.json');
    writeFileSync(file, earlier.stdout);
    const result = await runIn([...DEMO, '--reference', file]);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { meta: { parameters: { reference: string } }; rows: Row[] };
    expect(parsed.meta.parameters.reference).toBe(file);
    // Pooled over three years, the reference differs a little from each year's own total.
    const total = parsed.rows.find((r) => r.school === null && r.school_year === '2022/23' && r.grade_level === 6 && r.subject === 'MA')!;
    expect(total.std_gap).not.toBe(0);
    expect(Math.abs(total.std_gap!)).toBeLessThan(1);
  });

  it('a file that is not a gap report is one clear line, before any export is read', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'ska-ref-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ rows: [{ school: 'x' }] }));
    const result = await runIn([...DEMO, '--reference', file, 'nope-not-read.csv']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`ska-analyze: ${file}: rows.0.level: Ogiltig inmatning: förväntat string, fick undefined (väntade JSON från en tidigare körning av "ska-analyze gap --format json")\n`);
    const english = await runIn([...DEMO, '--reference', file, 'nope-not-read.csv', '--lang', 'en']);
    expect(english.stderr).toBe(`ska-analyze: ${file}: rows.0.level: Invalid input: expected string, received undefined (expected the JSON of an earlier "ska-analyze gap --format json" run)\n`);
  });
});

describe('the table says how many flags chance alone would give', () => {
  it('prints the funnel flags against the expected number', async () => {
    const table = await runIn(['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--quiet']);
    // The summary is prose, wrapped at the width (100 in a pipe): read it as one line.
    const prose = table.stdout.replaceAll('\n', ' ');
    const report = await rows();
    const f = report.meta.multiple_comparisons.funnel;
    const alone = report.meta.multiple_comparisons.funnel_chance_alone.flagged;
    expect(prose).toContain(
      `Tratten: ${f.flagged} av ${f.tests} grupper utanför 95 %-gränserna för slump plus vanliga skillnader mellan skolor; om ingen grupp avvek mer än så skulle omkring ${Math.round(f.expected_by_chance)} hamna där. Med slumpens gränser ensamma hade ${alone} hamnat utanför.`,
    );
    expect(alone).toBeGreaterThan(f.flagged);
    expect(prose).toContain(`(Benjamini–Hochberg) kvarstår ${f.flagged_adjusted}.`);
    expect(prose).toMatch(/Vanliga skillnader \(betygspoäng\): område: τ = 0,\d\d; skola: τ = 0,\d\d\./);
  });
});

describe('--flag-scale and gender rows on the demo data', () => {
  it('--flag-scale steps: the funnel and the Welch comparison measure grade steps, and say so', async () => {
    const steps = JSON.parse((await runOnce([...DEMO, '--flag-scale', 'steps'])).stdout) as { meta: { parameters: Record<string, unknown> }; rows: Record<string, unknown>[] };
    expect(steps.meta.parameters.flag_scale).toBe('steps');
    const school = steps.rows.find((r) => r.level === 'school' && r.funnel_z_chance !== null)!;
    expect(school.funnel_scale).toBe('steps');
    // z against chance alone is std_gap_steps over its standard error, read back from the interval.
    const se = ((school.std_gap_steps_ci_high as number) - (school.std_gap_steps as number)) / 1.959963984540054;
    expect(school.funnel_z_chance as number).toBeCloseTo((school.std_gap_steps as number) / se, 9);
    const table = await runIn(['gap', 'fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv', '--quiet', '--flag-scale', 'steps', '--wide']);
    expect(table.stdout).toContain('Std-diff (steg)');
    expect(table.stdout.replaceAll('\n', ' ')).toContain('Vanliga skillnader (betygssteg)');
    const bad = await runIn([...DEMO, '--flag-scale', 'percent']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--flag-scale');
  });

  it('girls against girls, boys against boys, and the gender gap on the rows for both', async () => {
    const result = JSON.parse((await runOnce([...DEMO, '--by', 'school_year,grade_level,school,subject,gender'])).stdout) as { rows: Record<string, unknown>[] };
    const girls = result.rows.filter((r) => r.level === 'school' && r.gender === 'girl' && r.std_gap !== null);
    expect(girls.length).toBeGreaterThan(50);
    expect(girls.every((r) => r.standard === 'rest_of_municipality')).toBe(true);
    const both = result.rows.filter((r) => r.gender === null && r.gender_gap !== null);
    expect(both.length).toBeGreaterThan(50);
    for (const r of both.slice(0, 20)) {
      const key = (g: string) => result.rows.find((x) => x.level === r.level && x.school_year === r.school_year && x.grade_level === r.grade_level && x.school === r.school && x.subject === r.subject && x.gender === g)!;
      expect(r.gender_gap as number).toBeCloseTo((key('girl').mean_diff as number) - (key('boy').mean_diff as number), 12);
    }
    // The municipality's girls are not compared with themselves.
    expect(result.rows.filter((r) => r.level === 'total').every((r) => r.std_gap === null && r.funnel_flag === null)).toBe(true);
  });
});
