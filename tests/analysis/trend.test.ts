import { describe, expect, it } from 'vitest';
import { analyseGap } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { gapRecordMaker } from '../support/gap-record.js';
import { independentProportionDifferenceCI } from '../../src/analysis/stats.js';
import { analyseTransition, type TransitionRecord } from '../../src/analysis/transition.js';
import { changeBetween, gapTrend, patterns, streakOf, transitionTrend, type TrendSeries } from '../../src/analysis/trend.js';

let serial = 0;
const record = gapRecordMaker({ grade_level: 6, class: '6A' });
function rec(school: string, year: string, grade: string, test: string): GapRecord {
  return record(grade, test, { school, school_year: year });
}
function many(count: number, school: string, year: string, grade: string, test: string): GapRecord[] {
  return Array.from({ length: count }, () => rec(school, year, grade, test));
}

// Askolan, 20 pupils a year: higher (C vs D) 4 → 8 → 10, lower (D vs C) 2 → 0 → 0.
const ASKOLAN = [
  ...many(4, 'Askolan', '2022/23', 'C', 'D'),
  ...many(14, 'Askolan', '2022/23', 'C', 'C'),
  ...many(2, 'Askolan', '2022/23', 'D', 'C'),
  ...many(8, 'Askolan', '2023/24', 'C', 'D'),
  ...many(12, 'Askolan', '2023/24', 'C', 'C'),
  ...many(10, 'Askolan', '2024/25', 'C', 'D'),
  ...many(10, 'Askolan', '2024/25', 'C', 'C'),
];
// Bskolan has no pupils in 2023/24: its series has a hole there.
const BSKOLAN = [...many(20, 'Bskolan', '2022/23', 'C', 'C'), ...many(15, 'Bskolan', '2024/25', 'C', 'C'), ...many(5, 'Bskolan', '2024/25', 'C', 'D')];
const BY = ['school_year', 'school', 'subject'] as const;

function series(all: TrendSeries[], school: string | null): TrendSeries {
  const found = all.find((s) => (s.key.school ?? null) === school);
  if (!found) throw new Error(`no series ${school}`);
  return found;
}

describe('trend figures (hand-computed)', () => {
  const part = gapTrend(analyseGap(cellsFromRecords([...ASKOLAN, ...BSKOLAN]), { by: BY, minGroup: 10, alpha: 0.05 }));

  it('lists the school years in order and one series per group without the year', () => {
    expect(part.school_years).toEqual(['2022/23', '2023/24', '2024/25']);
    expect(part.plan.by).toEqual(['school', 'subject']);
    expect(part.series.map((s) => s.key.school ?? null)).toEqual([null, 'Askolan', 'Bskolan']);
  });

  it('gives each year its figures and the change from the year before', () => {
    const a = series(part.series, 'Askolan');
    expect(a.points.map((p) => p?.estimates.share_higher?.value)).toEqual([0.2, 0.4, 0.5]);
    expect(a.points.map((p) => p?.n)).toEqual([20, 20, 20]);
    // Mean difference: 2022/23 (4·2.5 − 2·2.5)/20 = 0.25; 2023/24 8·2.5/20 = 1.0; 2024/25 10·2.5/20 = 1.25.
    expect(a.points.map((p) => p?.estimates.mean_diff?.value)).toEqual([0.25, 1, 1.25]);
    const prev = a.change_prev.share_higher!;
    expect(prev.from).toBe('2023/24');
    expect(prev.to).toBe('2024/25');
    expect(prev.change).toBeCloseTo(0.1, 12);
    const newcombe = independentProportionDifferenceCI(10, 20, 8, 20);
    expect(prev.low).toBeCloseTo(newcombe.low, 12);
    expect(prev.high).toBeCloseTo(newcombe.high, 12);
    expect(prev.sign).toBe('stable');
    const period = a.change_period.share_higher!;
    expect(period.from).toBe('2022/23');
    expect(period.change).toBeCloseTo(0.3, 12);
    // Each year's own change is on its point; the first year has none.
    expect(a.points[0]?.change.share_higher).toBeNull();
    expect(a.points[1]?.change.share_higher?.change).toBeCloseTo(0.2, 12);
    // share_lower 0.1 → 0 → 0: 2 of 20 to 0 of 20 over the period.
    const lower = independentProportionDifferenceCI(0, 20, 2, 20);
    expect(a.change_period.share_lower?.change).toBeCloseTo(-0.1, 12);
    expect(a.change_period.share_lower?.low).toBeCloseTo(lower.low, 12);
  });

  it('counts the springs in a row the grades have been above the tests', () => {
    // 2022/23: mean 0.25, sd √(36.25/19), t(19) interval includes 0 → in_line; 2023/24 and 2024/25
    // have intervals above 0 → higher. The streak is two springs.
    const a = series(part.series, 'Askolan');
    expect(a.points.map((p) => p?.direction)).toEqual(['in_line', 'higher', 'higher']);
    expect(a.streak).toEqual({ years: 2, direction: 'higher' });
  });

  it('leaves a year without pupils empty and computes no change across it', () => {
    const b = series(part.series, 'Bskolan');
    expect(b.points[1]).toBeNull();
    expect(b.change_prev.share_higher).toBeNull();
    // The whole period still compares the first year with figures to the latest: 0 → 5/20.
    expect(b.change_period.share_higher?.change).toBeCloseTo(0.25, 12);
    expect(b.change_period.share_higher?.from).toBe('2022/23');
  });

  it('shows no figure for a hidden year, and a hidden year ends a streak', () => {
    const small = [...ASKOLAN, ...many(20, 'Cskolan', '2022/23', 'C', 'D'), ...many(5, 'Cskolan', '2023/24', 'C', 'D'), ...many(20, 'Cskolan', '2024/25', 'C', 'D')];
    const trend = gapTrend(analyseGap(cellsFromRecords(small), { by: BY, minGroup: 10, alpha: 0.05 }));
    const c = series(trend.series, 'Cskolan');
    expect(c.points[1]).toMatchObject({ n: null, suppressed: 'small_group', direction: null });
    expect(Object.values(c.points[1]!.estimates).every((e) => e === null)).toBe(true);
    expect(c.change_prev.share_higher).toBeNull();
    expect(c.streak).toEqual({ years: 1, direction: 'higher' });
  });

  it('has no std_gap for the municipality total (it is its own standard)', () => {
    const total = series(part.series, null);
    expect(total.points.every((p) => p?.estimates.std_gap === null && p?.relative === null)).toBe(true);
  });
});

describe('changeBetween and streakOf', () => {
  it('combines the two years\' interval half-widths for a mean', () => {
    // Half-widths 1 and 0.5: the change's half-width is √(1² + 0.5²) = √1.25.
    const c = changeBetween({ value: 1, low: 0, high: 2, scale: 'mean' }, { value: 2, low: 1.5, high: 2.5, scale: 'mean' });
    expect(c.change).toBe(1);
    expect(c.low).toBeCloseTo(1 - Math.sqrt(1.25), 12);
    expect(c.high).toBeCloseTo(1 + Math.sqrt(1.25), 12);
  });

  it('gives no interval when a year has none', () => {
    expect(changeBetween({ value: 1, low: null, high: null, scale: 'mean' }, { value: 2, low: 1, high: 3, scale: 'mean' })).toEqual({ change: 1, low: null, high: null });
  });

  it('streaks end at the latest year and need a direction', () => {
    expect(streakOf(['higher', 'higher', 'higher'])).toEqual({ years: 3, direction: 'higher' });
    expect(streakOf(['lower', 'higher', 'higher'])).toEqual({ years: 2, direction: 'higher' });
    expect(streakOf(['higher', null, 'higher'])).toEqual({ years: 1, direction: 'higher' });
    expect(streakOf(['higher', 'higher', 'in_line'])).toEqual({ years: 0, direction: null });
    expect(streakOf(['higher', 'higher', null])).toEqual({ years: 0, direction: null });
    expect(streakOf([])).toEqual({ years: 0, direction: null });
  });
});

function trec(year: string, area: string, fromPass: boolean, toPass: boolean): TransitionRecord {
  serial++;
  return {
    pupil: `T${serial}`,
    status: 'linked',
    school_year: year,
    grade_level: 6,
    area,
    school: `${area}skolan`,
    class: '6A',
    subject: 'MA',
    gender: 'girl',
    teacher: '',
    fromPass,
    toPass,
    fromStep: null,
    toStep: null,
    changedSchool: false,
  };
}
function trecs(count: number, year: string, area: string, fromPass: boolean, toPass: boolean): TransitionRecord[] {
  return Array.from({ length: count }, () => trec(year, area, fromPass, toPass));
}

describe('transition trend', () => {
  // Norra both years: 6 pass→pass, 6 fail→pass. McNemar exact p = 2·0.5⁶ = 0.03125 → strict.
  const records = [
    ...trecs(6, '2023/24', 'Norra', true, true),
    ...trecs(6, '2023/24', 'Norra', false, true),
    ...trecs(6, '2024/25', 'Norra', true, true),
    ...trecs(6, '2024/25', 'Norra', false, true),
    ...trecs(12, '2023/24', 'Södra', true, true),
    ...trecs(9, '2024/25', 'Södra', true, true),
    ...trecs(3, '2024/25', 'Södra', true, false),
  ];
  const part = transitionTrend(analyseTransition(records, { by: ['school_year', 'area', 'subject'], minGroup: 10, alpha: 0.05 }));

  it('follows the verdict year by year', () => {
    const norra = series2(part.series, 'Norra');
    expect(norra.points.map((p) => p?.estimates.share_pass_from?.value)).toEqual([0.5, 0.5]);
    expect(norra.points.map((p) => p?.estimates.diff_pp?.value)).toEqual([-0.5, -0.5]);
    expect(norra.points.map((p) => p?.direction)).toEqual(['strict', 'strict']);
    expect(norra.streak).toEqual({ years: 2, direction: 'strict' });
    expect(norra.change_prev.diff_pp?.change).toBeCloseTo(0, 12);
    // Södra: 3 pass→fail of 12 is not significant (p = 0.25): in line, no streak.
    const sodra = series2(part.series, 'Södra');
    expect(sodra.points.map((p) => p?.direction)).toEqual(['in_line', 'in_line']);
    expect(sodra.change_prev.share_pass_to?.change).toBeCloseTo(-0.25, 12);
    expect(patterns(part, 2).map((s) => s.key.area)).toEqual(['Norra']);
  });
});

function series2(all: TrendSeries[], area: string): TrendSeries {
  const found = all.find((s) => s.key.area === area && (s.key.school ?? null) === null);
  if (!found) throw new Error(`no series ${area}`);
  return found;
}

describe('changeBetween with Student-t intervals', () => {
  it('reads each year\'s se back with t(df), not z', () => {
    // Half-widths 2.262157·1 (t₀.₉₇₅,₉ · se 1) and 2.262157·0.5: se 1 and 0.5, so the change's half-width is 1.959964·√1.25.
    const t9 = 2.2621571627409915;
    const c = changeBetween({ value: 0, low: -t9, high: t9, scale: 'mean', df: 9 }, { value: 1, low: 1 - 0.5 * t9, high: 1 + 0.5 * t9, scale: 'mean', df: 9 });
    expect(c.low).toBeCloseTo(1 - 1.959963984540054 * Math.sqrt(1.25), 9);
    expect(c.high).toBeCloseTo(1 + 1.959963984540054 * Math.sqrt(1.25), 9);
  });
});
