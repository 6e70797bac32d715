import { describe, expect, it } from 'vitest';
import { analyseGap } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { gapRecordMaker } from '../support/gap-record.js';
import { chooseYear, compareWithReference, type ReferenceRow } from '../../src/analysis/reference-compare.js';
import type { PooledReference, ReferenceGender, ReferenceMetric } from '../../src/normalise/reference-table.js';
import type { Dimension } from '../../src/types.js';


const rec = gapRecordMaker({ school_year: '2023/24' });

function ref(metric: ReferenceMetric, value: number | null, over: Partial<PooledReference> = {}): PooledReference {
  return {
    school_year: '2023/24',
    grade_level: 9,
    subject: 'MA',
    gender: 'all',
    metric,
    value,
    status: value === null ? 'too_few' : 'ok',
    raw: value === null ? '..' : null,
    n: value === null ? null : 1000,
    units: value === null ? 0 : 1,
    excluded_units: value === null ? 1 : 0,
    rounded_units: 0,
    label: 'Riket',
    ...over,
  };
}

/**
 * Ten pupils (grade, test): 3 higher (C,D) (B,C) (E,F); 6 the same (C,C)×3 (A,A) (E,E) (D,D);
 * 1 lower (D,C). Test points: 12.5 + 15 + 0 + 3·15 + 20 + 10 + 12.5 + 15 = 130, mean 13.0.
 */
const TEN: [string, string][] = [
  ['C', 'D'], ['B', 'C'], ['E', 'F'],
  ['C', 'C'], ['C', 'C'], ['C', 'C'], ['A', 'A'], ['E', 'E'], ['D', 'D'],
  ['D', 'C'],
];

function analyse(records: GapRecord[], by: readonly Dimension[] = ['school_year', 'grade_level', 'subject'], minGroup = 1) {
  return analyseGap(cellsFromRecords(records), { by, minGroup, alpha: 0.05 });
}

function one(rows: ReferenceRow[], metric: string, key: Record<string, unknown> = {}): ReferenceRow {
  const row = rows.find((r) => r.metric === metric && Object.entries(key).every(([dim, value]) => (r.key as Record<string, unknown>)[dim] === value));
  if (!row) throw new Error(`no row ${metric} ${JSON.stringify(key)}`);
  return row;
}

describe('compareWithReference: verdicts (hand-computed)', () => {
  const result = analyse(TEN.map(([g, t]) => rec(g, t)));

  // Wilson 95 % for 3/10 by hand: z = 1.959964, z² = 3.841459;
  // centre = (0.3 + z²/20) / (1 + z²/10) = 0.492073 / 1.384146 = 0.355507;
  // half = z · √(0.3·0.7/10 + z²/400) / 1.384146 = 1.959964 · √0.030604 / 1.384146 = 0.247717.
  const z = 1.959964;
  const centre = (0.3 + (z * z) / 20) / (1 + (z * z) / 10);
  const half = (z * Math.sqrt((0.3 * 0.7) / 10 + (z * z) / 400)) / (1 + (z * z) / 10);

  it('share_higher: own 3/10 with its Wilson interval; a reference below it is worse, inside it in line', () => {
    expect(centre - half).toBeCloseTo(0.10779, 4);
    expect(centre + half).toBeCloseTo(0.60322, 4);
    const below = one(compareWithReference(result, [ref('share_higher', 0.1)], { alpha: 0.05 }).rows, 'share_higher');
    expect(below.own).toBe(0.3);
    expect(below.n).toBe(10);
    expect(below.own_ci_low).toBeCloseTo(centre - half, 6);
    expect(below.own_ci_high).toBeCloseTo(centre + half, 6);
    expect(below.difference).toBeCloseTo(0.2, 12);
    expect(below.direction).toBe('higher'); // more grades above the test than the reference …
    expect(below.verdict).toBe('worse'); // … is more divergence
    const inside = one(compareWithReference(result, [ref('share_higher', 0.11)], { alpha: 0.05 }).rows, 'share_higher');
    expect(inside.direction).toBe('in_line');
    expect(inside.verdict).toBe('in_line');
    const above = one(compareWithReference(result, [ref('share_higher', 0.61)], { alpha: 0.05 }).rows, 'share_higher');
    expect(above.verdict).toBe('better');
  });

  it('share_same and share_pass_test: higher is better', () => {
    const rows = compareWithReference(result, [ref('share_same', 0.2), ref('share_pass_test', 0.99)], { alpha: 0.05 }).rows;
    expect(one(rows, 'share_same').own).toBe(0.6);
    expect(one(rows, 'share_same').verdict).toBe('better'); // Wilson 6/10 = [0.313, 0.832]
    const pass = one(rows, 'share_pass_test');
    expect(pass.own).toBe(0.9); // 9 of 10 test grades are A–E (over the paired pupils, as GapFigures)
    expect(pass.own_ci_low).toBeLessThan(0.99);
    expect(pass.own_ci_high).toBeCloseTo(0.98212, 4); // Wilson 9/10 upper limit
    expect(pass.direction).toBe('lower');
    expect(pass.verdict).toBe('worse');
  });

  it('mean_points_test from the matrix: mean 13.0, sd √27.5, t interval', () => {
    // Deviations from 13: −0.5, 2, −13, 2, 2, 2, 7, −3, −0.5, 2; squares sum 247.5; variance 247.5/9 = 27.5.
    const halfT = 2.262157 * Math.sqrt(27.5 / 10); // t(0.975, 9) · sd/√n = 3.7514
    const row = one(compareWithReference(result, [ref('mean_points_test', 9)], { alpha: 0.05 }).rows, 'mean_points_test');
    expect(row.own).toBeCloseTo(13, 12);
    expect(row.own_ci_low).toBeCloseTo(13 - halfT, 4);
    expect(row.own_ci_high).toBeCloseTo(13 + halfT, 4);
    expect(row.difference).toBeCloseTo(4, 12);
    expect(row.verdict).toBe('better');
    expect(one(compareWithReference(result, [ref('mean_points_test', 12)], { alpha: 0.05 }).rows, 'mean_points_test').verdict).toBe('in_line');
  });

  it('alpha sets the interval: at alpha 0.5 the interval is narrower and 0.2 is outside', () => {
    expect(one(compareWithReference(result, [ref('share_higher', 0.2)], { alpha: 0.05 }).rows, 'share_higher').verdict).toBe('in_line');
    expect(one(compareWithReference(result, [ref('share_higher', 0.2)], { alpha: 0.5 }).rows, 'share_higher').verdict).toBe('worse');
  });
});

describe('compareWithReference: hidden reference values are never numbers', () => {
  const result = analyse(TEN.map(([g, t]) => rec(g, t)));

  it('`..` stays too_few with its token: no value, no difference, no verdict', () => {
    const row = one(compareWithReference(result, [ref('share_pass_test', null)], { alpha: 0.05 }).rows, 'share_pass_test');
    expect(row.reference).toBeNull();
    expect(row.reference_status).toBe('too_few');
    expect(row.reference_raw).toBe('..');
    expect(row.difference).toBeNull();
    expect(row.direction).toBeNull();
    expect(row.verdict).toBeNull();
    expect(row.own).toBe(0.9); // the group's own figure is still shown
  });

  it('`~100` and `.` keep their status and token', () => {
    const rows = compareWithReference(
      result,
      [ref('share_pass_test', null, { status: 'rounded', raw: '~100' }), ref('mean_points_test', null, { status: 'missing', raw: '.' })],
      { alpha: 0.05 },
    ).rows;
    expect(one(rows, 'share_pass_test')).toMatchObject({ reference: null, reference_status: 'rounded', reference_raw: '~100', verdict: null, difference: null });
    expect(one(rows, 'mean_points_test')).toMatchObject({ reference: null, reference_status: 'missing', reference_raw: '.', verdict: null, difference: null });
  });
});

describe('compareWithReference: matching', () => {
  it('school year: the same, else the latest before, else the earliest after; the year used is recorded', () => {
    expect(chooseYear(['2022/23', '2024/25'], '2024/25')).toEqual({ year: '2024/25', match: 'same' });
    expect(chooseYear(['2020/21', '2022/23', '2024/25'], '2023/24')).toEqual({ year: '2022/23', match: 'earlier' });
    expect(chooseYear(['2022/23', '2024/25'], '2021/22')).toEqual({ year: '2022/23', match: 'later' });
    expect(chooseYear(['2022/23', '2024/25'], null)).toEqual({ year: '2024/25', match: 'latest' });
    expect(chooseYear([], '2023/24')).toBeNull();

    const records = [...TEN.map(([g, t]) => rec(g, t, { school_year: '2024/25' })), ...TEN.map(([g, t]) => rec(g, t, { school_year: '2021/22' }))];
    const pooled = [ref('share_same', 0.5, { school_year: '2022/23' }), ref('share_same', 0.7, { school_year: '2023/24' })];
    const rows = compareWithReference(analyse(records), pooled, { alpha: 0.05 }).rows;
    // This spring's figures are not published yet: 2024/25 is compared with 2023/24.
    expect(one(rows, 'share_same', { school_year: '2024/25' })).toMatchObject({ reference: 0.7, reference_school_year: '2023/24', year_match: 'earlier' });
    expect(one(rows, 'share_same', { school_year: '2021/22' })).toMatchObject({ reference: 0.5, reference_school_year: '2022/23', year_match: 'later' });
  });

  it('gender: girls against F, boys against M, both against all; no gender grouping uses all', () => {
    const records = [...TEN.map(([g, t]) => rec(g, t, { gender: 'girl' })), ...TEN.map(([g, t]) => rec(g, t, { gender: 'boy' }))];
    const pooled = [ref('share_same', 0.41, { gender: 'F' }), ref('share_same', 0.42, { gender: 'M' }), ref('share_same', 0.43, { gender: 'all' })];
    const byGender = compareWithReference(analyse(records, ['school_year', 'grade_level', 'subject', 'gender']), pooled, { alpha: 0.05 }).rows;
    const gendered = (gender: string | null) => byGender.find((r) => r.key.gender === gender);
    expect(gendered('girl')).toMatchObject({ reference: 0.41, reference_gender: 'F' satisfies ReferenceGender });
    expect(gendered('boy')).toMatchObject({ reference: 0.42, reference_gender: 'M' });
    expect(gendered(null)).toMatchObject({ reference: 0.43, reference_gender: 'all' });
    const plain = compareWithReference(analyse(records), pooled, { alpha: 0.05 }).rows;
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ reference: 0.43, reference_gender: 'all', n: 20 });
  });

  it('only the same grade level and subject, only measures both sides have', () => {
    const records = TEN.map(([g, t]) => rec(g, t));
    const comparison = compareWithReference(
      analyse(records),
      [ref('share_same', 0.5, { grade_level: 6 }), ref('share_same', 0.5, { subject: 'SV' }), ref('share_participated', 0.9), ref('share_lower', 0.05)],
      { alpha: 0.05 },
    );
    expect(comparison.rows.map((r) => r.metric)).toEqual(['share_lower']);
    expect(comparison.metrics).toEqual(['share_lower']);
  });

  it('hidden groups get no reference figures of their own', () => {
    const records = [
      ...TEN.map(([g, t]) => rec(g, t, { school: 'Ekskolan' })),
      ...TEN.map(([g, t]) => rec(g, t, { school: 'Björkskolan' })),
      rec('C', 'C', { school: 'Litenskolan' }),
      rec('C', 'D', { school: 'Litenskolan' }),
    ];
    const result = analyse(records, ['school_year', 'grade_level', 'school', 'subject'], 5);
    const hidden = result.groups.filter((g) => g.suppressed !== null).map((g) => g.key.school);
    expect(hidden).toContain('Litenskolan');
    const rows = compareWithReference(result, [ref('share_same', 0.5)], { alpha: 0.05 }).rows;
    for (const school of hidden) expect(rows.some((r) => r.key.school === school)).toBe(false);
    expect(rows.some((r) => r.level === 'total')).toBe(true);
  });
});
