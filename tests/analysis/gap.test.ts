import { describe, expect, it } from 'vitest';
import { analyseGap, listCases, type GapGroup } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { gapRecordMaker } from '../support/gap-record.js';


/** A record with overrides; grades as letters ('' = none). */
const rec = gapRecordMaker({ grade_level: 6, class: '6A' });

function find(groups: GapGroup[], key: Record<string, unknown>): GapGroup {
  const group = groups.find((g) => Object.entries(key).every(([dim, value]) => (g.key as Record<string, unknown>)[dim] === value));
  if (!group) throw new Error(`no group ${JSON.stringify(key)}`);
  return group;
}

const BY = ['school_year', 'grade_level', 'area', 'school', 'subject'] as const;

describe('analyseGap figures (hand-computed)', () => {
  // Five pupils: (grade, test) = (C,C) same, (C,D) higher, (B,C) higher, (E,F) higher, (D,C) lower.
  const records = [rec('C', 'C'), rec('C', 'D'), rec('B', 'C'), rec('E', 'F'), rec('D', 'C'), rec('C', ''), rec('', 'B'), rec('', 'A')];
  const result = analyseGap(cellsFromRecords(records), { by: BY, minGroup: 1, alpha: 0.05 });
  const total = find(result.groups, { area: null, school: null });
  const f = total.figures!;

  it('counts paired pupils and those with only one side', () => {
    expect(total.n).toBe(5);
    expect(f.n_grade_only).toBe(1);
    expect(f.n_test_only).toBe(2);
  });

  it('shares higher / same / lower and the net gap', () => {
    expect(f.share_higher).toBeCloseTo(3 / 5, 12);
    expect(f.share_same).toBeCloseTo(1 / 5, 12);
    expect(f.share_lower).toBeCloseTo(1 / 5, 12);
    expect(f.net_gap).toBeCloseTo(2 / 5, 12);
  });

  it('Wilson 95% intervals for the shares', () => {
    // Wilson score interval, z = 1.959964: 3/5 → [0.230724, 0.882379]; 1/5 → [0.036224, 0.624465]
    // (computed independently with numpy/scipy.stats.norm.ppf(0.975)).
    expect(f.share_higher_ci_low).toBeCloseTo(0.2307243, 6);
    expect(f.share_higher_ci_high).toBeCloseTo(0.8823792, 6);
    expect(f.share_lower_ci_low).toBeCloseTo(0.0362241, 6);
    expect(f.share_lower_ci_high).toBeCloseTo(0.6244654, 6);
  });

  it('mean difference in grade points with a t-based 95% CI', () => {
    // Differences: 0, 2.5, 2.5, 10, −2.5 → mean 12.5 / 5 = 2.5; sd = sqrt(87.5 / 4) = 4.677072;
    // t(0.975, 4) = 2.776445 → 2.5 ± 2.776445 · 4.677072 / √5 = [−3.307352, 8.307352].
    expect(f.mean_diff).toBeCloseTo(2.5, 12);
    expect(f.mean_diff_ci_low).toBeCloseTo(-3.307352, 5);
    expect(f.mean_diff_ci_high).toBeCloseTo(8.307352, 5);
  });

  it('share at least E by grade and by test', () => {
    expect(f.share_pass_grade).toBeCloseTo(1, 12); // C, C, B, E, D
    expect(f.share_pass_test).toBeCloseTo(4 / 5, 12); // C, D, C, F, C
  });

  it('the A–F × A–F matrix and the step differences', () => {
    expect(f.matrix.C.C).toBe(1);
    expect(f.matrix.C.D).toBe(1);
    expect(f.matrix.B.C).toBe(1);
    expect(f.matrix.E.F).toBe(1);
    expect(f.matrix.D.C).toBe(1);
    const sum = Object.values(f.matrix).reduce((s, row) => s + Object.values(row).reduce((a, b) => a + b, 0), 0);
    expect(sum).toBe(5);
    expect(f.diff_steps).toMatchObject({ '-1': 1, '0': 1, '1': 3, '2': 0, '-5': 0, '5': 0 });
  });

  it('quadratic-weighted kappa', () => {
    // 1 − Σw·O / Σw·E with w = ((i−j)/5)², E = row·col / n: 0.6875 (computed independently with numpy).
    expect(f.kappa_w).toBeCloseTo(0.6875, 10);
  });

  it('the total is not compared with itself', () => {
    expect(f.vs_total).toBeNull();
    expect(f.vs_total_p).toBeNull();
  });
});

describe('comparison with the rest of the municipality', () => {
  it("Welch's t-test of the group against everyone else in the same year, level and subject", () => {
    const ek = [rec('C', 'C'), rec('C', 'D'), rec('B', 'C'), rec('E', 'F'), rec('D', 'C')];
    const rest = [['C', 'C'], ['C', 'C'], ['D', 'D'], ['B', 'B'], ['E', 'E'], ['F', 'E'], ['A', 'B']].map(([g, t]) =>
      rec(g!, t!, { area: 'Södra', school: 'Lindskolan' }),
    );
    const result = analyseGap(cellsFromRecords([...ek, ...rest]), { by: BY, minGroup: 1, alpha: 0.05 });
    const school = find(result.groups, { school: 'Ekskolan' }).figures!;
    // scipy.stats.ttest_ind(ek, rest, equal_var=False): t = 1.378382, p = 0.2058034.
    expect(school.vs_total_p).toBeCloseTo(0.2058034, 6);
    expect(school.vs_total).toBe('in_line');
    const loose = analyseGap(cellsFromRecords([...ek, ...rest]), { by: BY, minGroup: 1, alpha: 0.25 });
    expect(find(loose.groups, { school: 'Ekskolan' }).figures!.vs_total).toBe('higher');
    expect(find(loose.groups, { school: 'Lindskolan' }).figures!.vs_total).toBe('lower');
  });
});

describe('grouping with totals', () => {
  const records = [
    ...Array.from({ length: 12 }, () => rec('C', 'C', { area: 'Norra', school: 'A-skolan' })),
    ...Array.from({ length: 11 }, () => rec('B', 'C', { area: 'Norra', school: 'B-skolan' })),
    ...Array.from({ length: 15 }, () => rec('D', 'C', { area: 'Södra', school: 'C-skolan' })),
    ...Array.from({ length: 10 }, () => rec('C', 'C', { subject: 'EN' })),
  ];
  const result = analyseGap(cellsFromRecords(records), { by: BY, minGroup: 10, alpha: 0.05 });

  it('rolls areas and schools up to a municipality total per subject, never across subjects', () => {
    expect(find(result.groups, { subject: 'MA', area: null, school: null }).n).toBe(38);
    expect(find(result.groups, { subject: 'MA', area: 'Norra', school: null }).n).toBe(23);
    expect(find(result.groups, { subject: 'MA', area: 'Norra', school: 'B-skolan' }).n).toBe(11);
    expect(find(result.groups, { subject: 'EN', area: null, school: null }).n).toBe(10);
    expect(result.groups.every((g) => g.key.subject !== null)).toBe(true);
  });

  it('sorts strata first, totals before their members', () => {
    const order = result.groups.map((g) => `${g.key.subject}|${g.key.area ?? '*'}|${g.key.school ?? '*'}`);
    expect(order).toEqual(['EN|*|*', 'EN|Norra|*', 'EN|Norra|Ekskolan', 'MA|*|*', 'MA|Norra|*', 'MA|Norra|A-skolan', 'MA|Norra|B-skolan', 'MA|Södra|*', 'MA|Södra|C-skolan']);
  });

  it('labels each group with its level', () => {
    expect(find(result.groups, { subject: 'MA', area: null }).level).toBe('total');
    expect(find(result.groups, { subject: 'MA', area: 'Södra', school: null }).level).toBe('area');
    expect(find(result.groups, { subject: 'MA', school: 'C-skolan' }).level).toBe('school');
  });

  it('shows every group for girls, boys and both when gender is in --by', () => {
    const mixed = [...Array.from({ length: 6 }, () => rec('C', 'C', { gender: 'girl' })), ...Array.from({ length: 4 }, () => rec('B', 'C', { gender: 'boy' }))];
    const byGender = analyseGap(cellsFromRecords(mixed), { by: ['subject', 'area', 'gender'], minGroup: 1, alpha: 0.05 });
    expect(find(byGender.groups, { area: null, gender: null }).n).toBe(10);
    expect(find(byGender.groups, { area: null, gender: 'girl' }).n).toBe(6);
    expect(find(byGender.groups, { area: 'Norra', gender: 'boy' }).figures!.share_higher).toBe(1);
  });
});

describe('privacy: small groups and complementary suppression', () => {
  it('hides groups below the minimum and nulls their figures', () => {
    const records = [...Array.from({ length: 9 }, () => rec('C', 'C'))];
    const result = analyseGap(cellsFromRecords(records), { by: BY, minGroup: 10, alpha: 0.05 });
    for (const group of result.groups) {
      expect(group.suppressed).toBe('small_group');
      expect(group.figures).toBeNull();
    }
  });

  it('hides the smallest shown sibling when only one part of a shown total is hidden', () => {
    const records = [
      ...Array.from({ length: 30 }, () => rec('C', 'C', { school: 'Stora' })),
      ...Array.from({ length: 12 }, () => rec('B', 'C', { school: 'Mellan' })),
      ...Array.from({ length: 3 }, () => rec('A', 'C', { school: 'Lilla' })),
    ];
    const result = analyseGap(cellsFromRecords(records), { by: BY, minGroup: 10, alpha: 0.05 });
    expect(find(result.groups, { school: 'Lilla' }).suppressed).toBe('small_group');
    // Norra (45) − Stora (30) − Mellan (12) would give Lilla: Mellan, the smaller, is hidden too.
    expect(find(result.groups, { school: 'Mellan' }).suppressed).toBe('complementary');
    expect(find(result.groups, { school: 'Stora' }).suppressed).toBeNull();
    expect(find(result.groups, { area: 'Norra', school: null }).suppressed).toBeNull();
  });

  it('hides both genders when one is hidden (as Skolverket does)', () => {
    const records = [...Array.from({ length: 20 }, () => rec('C', 'C', { gender: 'girl' })), ...Array.from({ length: 4 }, () => rec('C', 'C', { gender: 'boy' }))];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'gender'], minGroup: 10, alpha: 0.05 });
    expect(find(result.groups, { gender: 'boy' }).suppressed).toBe('small_group');
    expect(find(result.groups, { gender: 'girl' }).suppressed).toBe('complementary');
    expect(find(result.groups, { gender: null }).suppressed).toBeNull();
  });

  it('hides a total whose only part is hidden (it is the same pupils)', () => {
    // The reviewer's case: area A, school S1 has 1 boy and 4 girls, S2 and S3 one boy each.
    // S1's girls are the area's girls; with S1 shown, its boy would be S1 − girls.
    const records = [
      rec('B', 'B', { area: 'A', school: 'S1', gender: 'boy' }),
      ...Array.from({ length: 4 }, (_, i) => rec(i === 0 ? 'A' : 'C', 'C', { area: 'A', school: 'S1', gender: 'girl' })),
      rec('C', 'C', { area: 'A', school: 'S2', gender: 'boy' }),
      rec('D', 'C', { area: 'A', school: 'S3', gender: 'boy' }),
    ];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'area', 'school', 'gender'], minGroup: 3, alpha: 0.05 });
    const girlsA = find(result.groups, { area: 'A', school: null, gender: 'girl' });
    const s1 = find(result.groups, { school: 'S1', gender: null });
    const boyS1 = find(result.groups, { school: 'S1', gender: 'boy' });
    expect(boyS1.suppressed).toBe('small_group');
    // S1 (5 pupils) minus the area's girls (4, all at S1) would be the boy: not both may show.
    expect(s1.suppressed === null && girlsA.suppressed === null).toBe(false);
    expect(girlsA.suppressed).toBe('complementary');
  });

  it('hides a part of a hidden total whose parts would otherwise add up to it', () => {
    // Area Norra: schools X (12) and Y (3). Y is small → X hidden by (a). Area Södra (20) shown.
    // Within X, classes X1 (12) is the only part: shown, it would reveal X → hidden by (b).
    const records = [
      ...Array.from({ length: 12 }, () => rec('C', 'C', { school: 'X', class: 'X1' })),
      ...Array.from({ length: 3 }, () => rec('C', 'C', { school: 'Y', class: 'Y1' })),
      ...Array.from({ length: 20 }, () => rec('C', 'C', { area: 'Södra', school: 'Z', class: 'Z1' })),
    ];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'area', 'school', 'class'], minGroup: 10, alpha: 0.05 });
    expect(find(result.groups, { school: 'X', class: null }).suppressed).toBe('complementary');
    expect(find(result.groups, { school: 'X', class: 'X1' }).suppressed).toBe('complementary');
    expect(find(result.groups, { school: 'Z', class: 'Z1' }).suppressed).toBeNull();
  });
});

describe('tiny groups with --min-group 1', () => {
  it('a single pair has figures but no interval', () => {
    const result = analyseGap(cellsFromRecords([rec('B', 'C')]), { by: BY, minGroup: 1, alpha: 0.05 });
    const f = result.groups[0]!.figures!;
    expect(f.mean_diff).toBe(2.5);
    expect(f.mean_diff_ci_low).toBeNull();
    expect(f.mean_diff_ci_high).toBeNull();
  });
});

describe('listCases', () => {
  it('lists pupils two or more steps apart, sorted, and nothing else', () => {
    const records = [rec('A', 'C', { pupil: 'x2' }), rec('C', 'B', { pupil: 'x1' }), rec('E', 'B', { pupil: 'x3', school: 'Aaskolan' }), rec('C', '')];
    const cases = listCases(records);
    expect(cases.map((c) => [c.pupil, c.grade, c.test, c.diff_steps])).toEqual([
      ['x3', 'E', 'B', -3],
      ['x2', 'A', 'C', 2],
    ]);
  });
});

describe('the order of the rows', () => {
  it('does not change a single figure: groups are summed over in the order of their ids, not of the cells', () => {
    // 60 schools in 3 areas, 2 subjects, grades and tests from a fixed pseudo-random sequence, so the
    // funnel's between-school variance is a sum of many unequal terms (its last digits depend on order).
    let state = 7;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 1000;
    const records: GapRecord[] = [];
    for (let k = 0; k < 3000; k++) {
      const school = k % 60;
      const grade = ['F', 'E', 'D', 'C', 'B', 'A'][Math.min(5, Math.floor((next() / 1000) * 5.2 + (school % 5) * 0.2))] ?? 'C';
      const test = ['F', 'E', 'D', 'C', 'B', 'A'][Math.floor((next() / 1000) * 6)] ?? 'C';
      records.push(rec(grade, test, { school: `Skola ${school}`, area: `Område ${school % 3}`, subject: k % 2 ? 'MA' : 'SV', gender: next() % 2 ? 'girl' : 'boy' }));
    }
    for (const by of [BY, ['area', 'school', 'gender'] as const]) {
      const forward = analyseGap(cellsFromRecords(records), { by, minGroup: 5, alpha: 0.05 });
      const backward = analyseGap(cellsFromRecords([...records].reverse()), { by, minGroup: 5, alpha: 0.05 });
      expect(backward.groups).toEqual(forward.groups);
      expect(backward.between_groups).toEqual(forward.between_groups);
      expect(forward.groups.some((g) => g.figures?.funnel_tau !== null && g.figures?.funnel_tau !== undefined && g.figures.funnel_tau > 0)).toBe(true);
    }
  });
});
