import { describe, expect, it } from 'vitest';
import { funnelFlag, overdispersion, referenceRates, shrinkEstimates, standardise, Z95, Z998 } from '../../src/analysis/fairness.js';
import { analyseGap } from '../../src/analysis/gap.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import type { GradeStep } from '../../src/types.js';
import { referenceKey } from '../../src/read/reference.js';

/** counts[teacher * 6 + test] from (teacher, test, how many) triples; steps F=0 … A=5. */
function table(entries: [number, number, number][]): Float64Array {
  const counts = new Float64Array(36);
  for (const [g, t, n] of entries) counts[g * 6 + t]! += n;
  return counts;
}

describe('indirect standardisation by test grade (hand-computed)', () => {
  // Reference: test C (3): 5 graded C, 5 graded B → higher 0.5, mean diff 1.25, variance 1.5625;
  // test A (5): 10 graded A → higher 0, mean 0, variance 0.
  const reference = referenceRates(table([[3, 3, 5], [4, 3, 5], [5, 5, 10]]));

  it('reference rates per test grade', () => {
    expect(reference.higher[3]).toBeCloseTo(0.5, 12);
    expect(reference.meanDiff[3]).toBeCloseTo(1.25, 12);
    expect(reference.varDiff[3]).toBeCloseTo(1.5625, 12);
    expect(reference.higher[5]).toBe(0);
    expect(reference.n[5]).toBe(10);
  });

  it('a group with many A on the test: expected = observed, the gap is zero', () => {
    // 4 × (A, A), 1 × (B, C), 1 × (C, C): observed mean 2.5 / 6, share higher 1/6.
    const std = standardise(table([[5, 5, 4], [4, 3, 1], [3, 3, 1]]), reference)!;
    expect(std.expected_share_higher).toBeCloseTo(1 / 6, 12); // (4·0 + 2·0.5) / 6
    expect(std.expected_mean_diff).toBeCloseTo(2.5 / 6, 12); // (4·0 + 2·1.25) / 6
    expect(std.std_gap).toBeCloseTo(0, 12);
    expect(std.std_gap_se).toBeCloseTo(Math.sqrt(2 * 1.5625) / 6, 12); // 0.294628
  });

  it('a group that grades up more than the reference at the same test grades', () => {
    // 4 × (B, C): observed mean 2.5, expected 1.25 → +1.25; SE = √(4 · 1.5625) / 4 = 0.625.
    const std = standardise(table([[4, 3, 4]]), reference)!;
    expect(std.std_gap).toBeCloseTo(1.25, 12);
    expect(std.std_gap_se).toBeCloseTo(0.625, 12);
    expect(std.expected_share_lower).toBe(0);
    // Share higher: observed 4/4, expected 0.5 → +0.5; SE = √(4 · 0.5 · 0.5) / 4 = 0.25.
    expect(std.excess_share_higher).toBeCloseTo(0.5, 12);
    expect(std.excess_share_higher_se).toBeCloseTo(0.25, 12);
    expect(std.excess_share_lower).toBe(0);
  });

  it('an empty table has no standardised figures', () => {
    expect(standardise(new Float64Array(36), reference)).toBeNull();
  });
});

describe('funnel limits and overdispersion', () => {
  it('control limits at the normal 97.5 % and 99.9 % quantiles', () => {
    // scipy.stats.norm.ppf(0.975) = 1.959963984540054, norm.ppf(0.999) = 3.090232306167813.
    expect(Z95).toBeCloseTo(1.959963984540054, 9);
    expect(Z998).toBeCloseTo(3.090232306167813, 9);
    expect(funnelFlag(1.9)).toBe('within');
    expect(funnelFlag(2.1)).toBe('above_95');
    expect(funnelFlag(-3.2)).toBe('below_99.8');
  });

  it('φ from winsorised z-scores (Spiegelhalter 2005)', () => {
    // numpy: (scipy.stats.mstats.winsorize(z, limits=(0.1, 0.1))**2).mean() = 1.899.
    const z = [0.5, -1.2, 2.5, 0.1, -0.3, 3.8, -2.2, 0.9, 1.4, -0.7];
    expect(overdispersion(z)).toBeCloseTo(1.899, 10);
  });

  it('no adjustment with few groups or no overdispersion', () => {
    expect(overdispersion([3, -3, 4])).toBe(1);
    expect(overdispersion([0.1, -0.1, 0.2, -0.2, 0.3, -0.3, 0.1, 0])).toBe(1);
  });
});

describe('empirical-Bayes shrinkage (DerSimonian–Laird)', () => {
  it('matches an independent computation', () => {
    // numpy implementation of DerSimonian–Laird: τ² = 0.5212272, μ = 0.6232600,
    // shrunk = [1.0130447, −0.1596667, 0.7277980, 1.3580767, 0.1770473].
    const result = shrinkEstimates([1.2, -0.4, 0.8, 2.5, 0.1], [0.5, 0.4, 0.6, 0.9, 0.3]);
    expect(result.tau2).toBeCloseTo(0.5212272060758734, 10);
    expect(result.mean).toBeCloseTo(0.6232599905810889, 10);
    const expected = [1.01304471, -0.15966668, 0.72779796, 1.35807667, 0.17704729];
    result.shrunk.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 7));
  });

  it('moves noisy estimates more than precise ones', () => {
    const { shrunk, mean } = shrinkEstimates([2, 2, -1, 0, 0.5], [2, 0.1, 0.3, 0.3, 0.3]);
    expect(Math.abs(shrunk[0]! - mean)).toBeLessThan(Math.abs(2 - mean) * 0.5);
    expect(shrunk[1]!).toBeCloseTo(2, 1);
  });
});

let serial = 0;
function rec(grade: GradeStep, test: GradeStep, school: string, area = 'Norra'): GapRecord {
  serial++;
  return { pupil: `P${serial}`, school_year: '2024/25', grade_level: 9, area, school, class: '9A', subject: 'MA', gender: 'girl', teacher: 'T', grade, test };
}
function many(n: number, grade: GradeStep, test: GradeStep, school: string, area?: string): GapRecord[] {
  return Array.from({ length: n }, () => rec(grade, test, school, area));
}

describe('fair comparisons in analyseGap', () => {
  it('a school with many provbetyg A no longer looks strict because of the ceiling', () => {
    // Tak: 20 × (A, A) and 10 pupils with C on the test, 5 graded B. Bred: 30 with C, 15 graded B.
    // Both grade exactly like the municipality at every test grade.
    const records = [...many(20, 5, 5, 'Tak'), ...many(5, 4, 3, 'Tak'), ...many(5, 3, 3, 'Tak'), ...many(15, 4, 3, 'Bred'), ...many(15, 3, 3, 'Bred')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const tak = result.groups.find((g) => g.key.school === 'Tak')!.figures!;
    const bred = result.groups.find((g) => g.key.school === 'Bred')!.figures!;
    expect(tak.share_higher).toBeCloseTo(5 / 30, 12);
    expect(bred.share_higher).toBeCloseTo(0.5, 12);
    expect(tak.vs_total).toBe('lower'); // raw: Tak looks strict
    expect(tak.expected_share_higher).toBeCloseTo(5 / 30, 12);
    expect(tak.std_gap).toBeCloseTo(0, 12);
    expect(bred.std_gap).toBeCloseTo(0, 12);
    expect(tak.funnel_flag).toBe('within');
  });

  it('the same raw gap is flagged for a large school and not for a small one', () => {
    // Reference: 200 pupils with C on the test, half graded B (rate 0.5, variance 1.5625).
    // Small: 10 pupils, 8 graded B → std gap (0.8 − 0.5) · 2.5 = 0.75, SE √(10 · 1.5625)/10, z ≈ 1.86.
    // Large: 100 pupils, 80 graded B → the same 0.75, z ≈ 5.9.
    const records = [
      ...many(8, 4, 3, 'Liten'),
      ...many(2, 3, 3, 'Liten'),
      ...many(80, 4, 3, 'Stor'),
      ...many(20, 3, 3, 'Stor'),
      ...many(12, 4, 3, 'Rest'),
      ...many(78, 3, 3, 'Rest'),
    ];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const small = result.groups.find((g) => g.key.school === 'Liten')!.figures!;
    const large = result.groups.find((g) => g.key.school === 'Stor')!.figures!;
    expect(small.std_gap).toBeCloseTo(large.std_gap!, 12);
    expect(small.funnel_flag).toBe('within');
    expect(large.funnel_flag).toBe('above_99.8');
    expect(large.funnel_limit_95!).toBeLessThan(small.funnel_limit_95!);
  });

  it('counts flags against what chance would give and adjusts p-values (Benjamini–Hochberg)', () => {
    const records = [...many(40, 4, 3, 'A'), ...many(40, 3, 3, 'B'), ...many(20, 4, 3, 'C'), ...many(20, 3, 3, 'C')];
    const result = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    expect(result.comparisons.funnel.tests).toBe(3);
    expect(result.comparisons.funnel.expected_by_chance).toBeCloseTo(0.15, 12);
    for (const group of result.groups.filter((g) => g.level !== 'total')) {
      expect(group.figures!.p_adj!).toBeGreaterThanOrEqual(group.figures!.funnel_p!);
    }
    expect(result.comparisons.funnel.flagged).toBeGreaterThanOrEqual(result.comparisons.funnel.flagged_adjusted);
  });

  it('Stuart–Maxwell flags a systematically shifted table', () => {
    const records = [...many(30, 4, 3, 'A'), ...many(10, 3, 3, 'A'), ...many(5, 2, 2, 'A')];
    const f = analyseGap(cellsFromRecords(records), { by: ['subject'], minGroup: 10, alpha: 0.05 }).groups[0]!.figures!;
    expect(f.marginal_p!).toBeLessThan(0.001);
  });

  it('--shrink adds shrunken gaps next to the raw ones', () => {
    const records = [...many(40, 4, 3, 'A'), ...many(40, 3, 3, 'B'), ...many(20, 4, 3, 'C'), ...many(20, 3, 3, 'C')];
    const plain = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05 });
    const shrunk = analyseGap(cellsFromRecords(records), { by: ['subject', 'school'], minGroup: 10, alpha: 0.05, shrink: true });
    expect(plain.groups.every((g) => g.figures?.std_gap_shrunk === null)).toBe(true);
    const a = shrunk.groups.find((g) => g.key.school === 'A')!.figures!;
    expect(a.std_gap_shrunk).not.toBeNull();
    expect(Math.abs(a.std_gap_shrunk!)).toBeLessThanOrEqual(Math.abs(a.std_gap!) + 1e-12);
  });
});

describe('--reference: standardising against another grading standard', () => {
  it('uses the reference table for its grade level and subject, the municipality elsewhere', () => {
    // Reference for år 9 MA: every pupil with C on the test got C (rate higher 0, mean 0).
    const reference = new Map([[referenceKey(9, 'MA'), table([[3, 3, 50]])]]);
    const records = [...many(4, 4, 3, 'A'), ...many(6, 4, 3, 'B')];
    const own = analyseGap(cellsFromRecords(records), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05 });
    const against = analyseGap(cellsFromRecords(records), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05, reference });
    // Everyone got B for a C: like the municipality (std gap 0), 2.5 points above the reference.
    expect(own.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(0, 12);
    expect(against.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(2.5, 12);
    expect(against.groups.find((g) => g.level === 'total')!.figures!.expected_share_higher).toBe(0);
    const elsewhere = analyseGap(cellsFromRecords(records.map((r) => ({ ...r, subject: 'EN' }))), { by: ['grade_level', 'subject', 'school'], minGroup: 1, alpha: 0.05, reference });
    expect(elsewhere.groups.find((g) => g.key.school === 'A')!.figures!.std_gap).toBeCloseTo(0, 12);
  });
});
