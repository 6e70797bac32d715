import { beforeAll, describe, expect, it } from 'vitest';
import { runIn, type RunResult } from './run.js';

const DEMO = ['fixtures/demo/exports', '--areas', 'fixtures/demo/skolomraden.csv'];
type Row = Record<string, unknown>;

describe('trend on the demo data (three school years)', () => {
  // The demo's trend and gap JSON, made once and shared by the tests.
  let json: RunResult;
  let report: { meta: Row; school_years: string[]; rows: Row[] };
  let gapRows: Row[];
  beforeAll(async () => {
    json = await runIn(['trend', ...DEMO, '--format', 'json']);
    report = JSON.parse(json.stdout) as typeof report;
    gapRows = (JSON.parse((await runIn(['gap', ...DEMO, '--format', 'json', '-q'])).stdout) as { rows: Row[] }).rows;
  }, 60_000);
  const find = (analysis: string, match: Row) =>
    report.rows.filter((row) => row.analysis === analysis && Object.entries(match).every(([key, value]) => (row[key] ?? null) === value));

  it('runs, lists the school years and keeps read = accepted + rejected', () => {
    expect(json.status).toBe(0);
    expect(report.school_years).toEqual(['2022/23', '2023/24', '2024/25']);
    const rows = report.meta.rows as { read: number; accepted: number; rejected: number };
    expect(rows.read).toBe(rows.accepted + rows.rejected);
    expect(report.meta.command).toBe('trend');
  });

  it('gives each year exactly the figures of gap for the same group and year', () => {
    let compared = 0;
    for (const row of report.rows.filter((r) => r.analysis === 'gap')) {
      const same = gapRows.find((g) => ['school_year', 'grade_level', 'area', 'school', 'subject'].every((dim) => (g[dim] ?? null) === (row[dim] ?? null)) && g.level === row.level);
      expect(same, JSON.stringify(row)).toBeDefined();
      for (const key of ['n', 'share_higher', 'share_lower', 'mean_diff', 'share_higher_ci_low', 'mean_diff_ci_high']) expect(row[key], key).toBe(same![key]);
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('computes the change from the year before from the two years\' figures', () => {
    const years = find('gap', { school: 'Solåsens skola', subject: 'MA', grade_level: 6 });
    expect(years.map((r) => r.school_year)).toEqual(['2022/23', '2023/24', '2024/25']);
    const [first, second, third] = years as [Row, Row, Row];
    expect(first.share_higher_change_prev).toBeNull();
    expect(third.share_higher_change_prev).toBeCloseTo((third.share_higher as number) - (second.share_higher as number), 12);
    expect(third.share_higher_change_period).toBeCloseTo((third.share_higher as number) - (first.share_higher as number), 12);
    expect(third.share_higher_change_period_from).toBe('2022/23');
  });

  it('finds the planted patterns: Solåsens grades above the tests and the municipality three springs running, Hagalunds below', () => {
    const solasen = find('gap', { school: 'Solåsens skola', subject: 'EN', grade_level: 6, school_year: '2024/25' })[0]!;
    expect([solasen.streak, solasen.streak_direction, solasen.streak_relative, solasen.streak_relative_direction]).toEqual([3, 'higher', 3, 'above']);
    const hagalund = find('gap', { school: 'Hagalunds skola', subject: 'MA', grade_level: 6, school_year: '2024/25' })[0]!;
    expect([hagalund.streak_relative, hagalund.streak_relative_direction]).toEqual([3, 'below']);
    // Transition: år 6 years 2023/24 and 2024/25; Norra strict both, Södra generous both.
    const norra = find('transition', { area: 'Norra', school: null, subject: 'MA', school_year: '2024/25' })[0]!;
    expect([norra.streak, norra.streak_direction]).toEqual([2, 'strict']);
    const sodra = find('transition', { area: 'Södra', school: null, subject: 'MA', school_year: '2024/25' })[0]!;
    expect([sodra.streak, sodra.streak_direction]).toEqual([2, 'generous']);
  });

  it('shows no figure for a hidden year', () => {
    const tallmyren = find('gap', { school: 'Tallmyrens skola' });
    expect(tallmyren.length).toBeGreaterThan(0);
    for (const row of tallmyren) {
      expect(row.suppressed).toBe(true);
      for (const key of ['n', 'share_higher', 'share_lower', 'mean_diff', 'std_gap', 'share_higher_change_prev', 'direction']) expect(row[key], key).toBeNull();
    }
  });

  it('prints one row per group with sparklines, and the same bytes every run', async () => {
    const table = await runIn(['trend', ...DEMO, '-q']);
    expect(table.status).toBe(0);
    // Fitted to 100 columns (a pipe): the group, its pupils, the mean difference, the streaks one to a line.
    expect(table.stdout).toMatch(/Solåsens skola\s+│\s+\d+ │ [▁▂▃▄▅▆▇█ ]{3} [+−]\d,\d/);
    expect(table.stdout).toMatch(/│ 3 år i rad högre än proven;\s+│\n[│ ]+│ 3 år i rad över kommunen\s+│/);
    // --wide: every measure, each row on one line.
    const wide = await runIn(['trend', ...DEMO, '-q', '--wide']);
    expect(wide.stdout).toMatch(/Solåsens skola\s+│\s+\d+ │ [▁▂▃▄▅▆▇█ ]{3} \d+ %/);
    expect(wide.stdout).toContain('3 år i rad högre än proven; 3 år i rad över kommunen');
    expect(table.stdout).toContain('Bedömning i år 5 jämfört med provresultat i år 6, 2023/24–2024/25');
    expect((await runIn(['trend', ...DEMO, '-q'])).stdoutBytes.equals(table.stdoutBytes)).toBe(true);
    expect((await runIn(['trend', ...DEMO, '--format', 'json', '-q'])).stdoutBytes.equals(json.stdoutBytes)).toBe(true);
  });

  it('writes one flat row per group and year as CSV for Excel', async () => {
    const csv = await runIn(['trend', ...DEMO, '--excel', '-q']);
    expect(csv.status).toBe(0);
    expect(csv.stdoutBytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const lines = csv.stdout.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines.length).toBe(report.rows.length + 1);
    expect(lines[0]).toMatch(/^Analys;Läsår;Åk;Område;Skola;Ämne;Nivå;Elever;/);
    expect(lines.some((line) => /;0,\d+;/.test(line))).toBe(true);
  });

  it('has no empty year span and no "one school year" note when there is nothing to pair', async () => {
    const out = await runIn(['trend', 'fixtures/demo/exports/bedomningar_ak5.csv', 'fixtures/demo/exports/nationella_prov_ak6.csv']);
    expect(out.status).toBe(0);
    expect(out.stdout.split('\n').slice(0, 3)).toEqual(['Betyg jämfört med nationella prov', '', 'Exporterna innehåller inga elever med både betyg och provbetyg i samma ämne och läsår.']);
    expect(out.stdout).toContain('Bedömning i år 5 jämfört med provresultat i år 6, 2023/24–2024/25');
    expect(out.stderr).not.toContain('bara ett läsår');
  });

  it('exits 3 with --fail-on when a group leans one way several springs running, naming the groups', async () => {
    const out = await runIn(['trend', ...DEMO, '--format', 'json', '--fail-on', 'streak_relative>=3']);
    expect(out.status).toBe(3);
    expect(out.stderr).toMatch(/--fail-on streak_relative>=3: \d+ grupper \(gap · 2024\/25 · 6 · Södra · Solåsens skola · EN/);
    // Counted once per group, in the latest year: the same number as the JSON's latest-year rows with the streak.
    const latest = report.rows.filter((r) => r.school_year === '2024/25' && (r.streak_relative as number) >= 3);
    expect(out.stderr).toContain(`${latest.length} grupper`);
    expect((await runIn(['trend', ...DEMO, '-q', '--fail-on', 'streak_relative>=4'])).status).toBe(0);
    expect((await runIn(['trend', ...DEMO, '-q', '--fail-on', 'nonsense>1'])).status).toBe(2);
  });
});
