import { describe, expect, it } from 'vitest';
import { analyseGap } from '../../src/analysis/gap.js';
import { keyString, planGroups, type GroupPlan } from '../../src/analysis/groups.js';
import { cellsFromRecords, type GapRecord } from '../../src/analysis/pairs.js';
import { applySuppression, type SuppressionInput, type SuppressionMode } from '../../src/analysis/suppression.js';
import { analyseTransition, type TransitionRecord } from '../../src/analysis/transition.js';

// Hand-built plans: a municipality total, its areas and their schools (by area, school).
const PLAN: GroupPlan = planGroups(['area', 'school']);

function group(area: string | null, school: string | null, n: number): SuppressionInput {
  const key = { area, school };
  return { id: keyString(PLAN, key), key, n };
}

/** The hidden groups by name (school, else area, else "total"), with their reasons. */
function hidden(groups: SuppressionInput[], minGroup = 10, mode?: SuppressionMode): Record<string, string> {
  const result = applySuppression(PLAN, groups, minGroup, mode);
  const out: Record<string, string> = {};
  for (const g of groups) {
    const reason = result.get(g.id);
    if (reason) out[String(g.key.school ?? g.key.area ?? 'total')] = reason;
  }
  return out;
}

describe('applySuppression: a group with no pupils in the measure', () => {
  it('does not hide the other schools of a shown area (it used to hide the smallest real school)', () => {
    // Norra: A 300, B 220 and a 6–9 school Z with no år 5 pupils (n = 0). The total is A + B.
    const zero = [group(null, null, 520), group('Norra', null, 520), group('Norra', 'A', 300), group('Norra', 'B', 220), group('Norra', 'Z', 0)];
    expect(hidden(zero)).toEqual({});
    // Before, Z counted as a small hidden part: rule (a) then hid B, 220 pupils, for nothing.
    // The rule itself still works for a real small school: Z with 3 pupils hides B (the smallest
    // shown part), or Norra − A would give Z.
    const small = [group(null, null, 523), group('Norra', null, 523), group('Norra', 'A', 300), group('Norra', 'B', 220), group('Norra', 'Z', 3)];
    expect(hidden(small)).toEqual({ Z: 'small_group', B: 'complementary' });
  });

  it('is not counted as a second hidden part, so a small school next to it is protected', () => {
    // Norra 15 = A 12 + Y 3 + Z 0; Södra 40 = S 40. Y is small. Before, Y and Z were two hidden
    // parts, so rule (a) did nothing and Norra (15) − A (12) gave Y's figures. Now A is hidden.
    const zero = [group(null, null, 55), group('Norra', null, 15), group('Norra', 'A', 12), group('Norra', 'Y', 3), group('Norra', 'Z', 0), group('Södra', null, 40), group('Södra', 'S', 40)];
    expect(hidden(zero)).toEqual({ Y: 'small_group', A: 'complementary' });
    // With a real pupil at Z, Y and Z together (4 pupils) are all Norra − A reveals: A may show.
    const one = [group(null, null, 56), group('Norra', null, 16), group('Norra', 'A', 12), group('Norra', 'Y', 3), group('Norra', 'Z', 1), group('Södra', null, 40), group('Södra', 'S', 40)];
    expect(hidden(one)).toEqual({ Y: 'small_group', Z: 'small_group' });
  });

  it('is not counted as a hidden part of a hidden total, so the total\'s only real part is hidden too', () => {
    // Total 40 = Norra 12 + Södra 25 + Västra 3. Västra is small, so Norra (the smallest shown area)
    // is hidden by rule (a). Norra = A 12 + Z 0: shown, A would be Norra, and the total − Södra − A
    // would give Västra. Rule (b) hides A (before, Z counted as Norra's hidden part and A showed).
    const groups = [
      group(null, null, 40),
      group('Norra', null, 12),
      group('Norra', 'A', 12),
      group('Norra', 'Z', 0),
      group('Södra', null, 25),
      group('Södra', 'S', 25),
      group('Västra', null, 3),
      group('Västra', 'V', 3),
    ];
    expect(hidden(groups)).toEqual({ Västra: 'small_group', V: 'small_group', Norra: 'complementary', A: 'complementary' });
  });

  it('is never hidden itself, not even below --min-group', () => {
    const groups = [group(null, null, 30), group('Norra', null, 30), group('Norra', 'A', 30), group('Norra', 'Z', 0)];
    expect(hidden(groups)).toEqual({});
    expect(hidden(groups, 10, 'small_groups_only')).toEqual({});
  });
});

describe('applySuppression: small_groups_only', () => {
  it('hides the small groups and nothing else', () => {
    const groups = [group(null, null, 45), group('Norra', null, 45), group('Norra', 'Stora', 30), group('Norra', 'Mellan', 12), group('Norra', 'Lilla', 3)];
    expect(hidden(groups)).toEqual({ Lilla: 'small_group', Mellan: 'complementary' });
    expect(hidden(groups, 10, 'small_groups_only')).toEqual({ Lilla: 'small_group' });
    expect(hidden(groups, 10, 'full')).toEqual({ Lilla: 'small_group', Mellan: 'complementary' });
  });
});

/** Transition records of one school and subject: linked pass/fail pairs and unlinked pupils. */
function pupils(
  area: string,
  school: string,
  subject: string,
  counts: { pp?: number; pf?: number; fp?: number; ff?: number; toOnly?: number; fromOnly?: number },
): TransitionRecord[] {
  const out: TransitionRecord[] = [];
  const add = (n: number | undefined, status: TransitionRecord['status'], fromPass: boolean | null, toPass: boolean | null) => {
    for (let i = 0; i < (n ?? 0); i++) {
      out.push({
        pupil: `${school}-${subject}-${status}-${out.length}`,
        status,
        school_year: '2024/25',
        grade_level: 6,
        area,
        school,
        class: '6A',
        subject,
        gender: 'girl',
        teacher: '(saknas)',
        fromPass,
        toPass,
        fromStep: null,
        toStep: null,
        changedSchool: false,
      });
    }
  };
  add(counts.pp, 'linked', true, true);
  add(counts.pf, 'linked', true, false);
  add(counts.fp, 'linked', false, true);
  add(counts.ff, 'linked', false, false);
  add(counts.toOnly, 'to_only', null, null);
  add(counts.fromOnly, 'from_only', null, null);
  return out;
}

describe('analyseTransition: a 6–9 school in the år 5 → 6 analysis', () => {
  // Östra: two F–5 schools (Hagalund, Östervång) whose år 5 pupils are followed to år 6, and a
  // 6–9 school (Tallbacka) with år 6 tests but no år 5 pupils: with --attribute-to from its
  // linked pupils count at their F–5 schools, and only its 14 moved-in pupils are its own.
  // Södra: one F–5 school. Per subject (EN, MA).
  const records = [
    ...['EN', 'MA'].flatMap((subject) => [
      ...pupils('Östra', 'Hagalunds skola', subject, { pp: 83, pf: 7, fp: 1, ff: 6, toOnly: 3, fromOnly: 4 }),
      ...pupils('Östra', 'Östervångsskolan', subject, { pp: 60, pf: 5, fp: 2, ff: 2, toOnly: 2, fromOnly: 1 }),
      ...pupils('Östra', 'Tallbacka 6–9', subject, { toOnly: 14 }),
      ...pupils('Södra', 'Solåsens skola', subject, { pp: 99, pf: 11, fp: 0, ff: 1, toOnly: 4, fromOnly: 1 }),
    ]),
  ];
  const result = analyseTransition(records, { by: ['area', 'school', 'subject'], minGroup: 10, alpha: 0.05 });
  const find = (area: string | null, school: string | null, subject: string) => result.groups.find((g) => g.key.area === area && g.key.school === school && g.key.subject === subject);

  it('hides no school: Östervångsskolan (69 linked pupils) shows its figures', () => {
    // Before, Tallbacka (n = 0) was hidden as too small, and with Hagalund and Östervång shown
    // rule (a) hid Östervångsskolan, the smaller, in every subject.
    expect(result.groups.filter((g) => g.suppressed !== null)).toEqual([]);
    for (const subject of ['EN', 'MA']) {
      const ostervang = find('Östra', 'Östervångsskolan', subject)!;
      expect(ostervang.n).toBe(69);
      expect(ostervang.figures).toMatchObject({ pass_pass: 60, pass_fail: 5, fail_pass: 2, fail_fail: 2 });
      expect(ostervang.figures!.share_pass_from).toBeCloseTo(65 / 69, 12);
    }
  });

  it('leaves the 6–9 school out of the rows; its moved-in pupils stay in the area\'s and the total\'s counts', () => {
    expect(find('Östra', 'Tallbacka 6–9', 'EN')).toBeUndefined();
    expect(result.groups.some((g) => g.key.school === 'Tallbacka 6–9')).toBe(false);
    // Östra: 97 + 69 = 166 linked; moved in 3 + 2 + 14 = 19; moved away 4 + 1 = 5.
    const ostra = find('Östra', null, 'MA')!;
    expect(ostra.n).toBe(166);
    expect(ostra.figures).toMatchObject({ n_to_only: 19, n_from_only: 5 });
    // Municipality: 166 + 111 = 277 linked; moved in 19 + 4 = 23.
    const total = find(null, null, 'MA')!;
    expect(total.n).toBe(277);
    expect(total.figures).toMatchObject({ n_to_only: 23 });
    // 2 subjects × (total + 2 areas + 3 schools with linked pupils) = 12 rows.
    expect(result.groups.length).toBe(12);
  });

  it('still hides a real small school and its smallest shown neighbour', () => {
    // Tallbacka with 3 linked pupils is a group to protect: it is too small, and Östervång is
    // hidden so that Östra − Hagalund − Östervång cannot give it.
    const withThree = [...records, ...pupils('Östra', 'Tallbacka 6–9', 'MA', { pp: 3 })];
    const again = analyseTransition(withThree, { by: ['area', 'school', 'subject'], minGroup: 10, alpha: 0.05 });
    const get = (school: string) => again.groups.find((g) => g.key.school === school && g.key.subject === 'MA')!;
    expect(get('Tallbacka 6–9').suppressed).toBe('small_group');
    expect(get('Östervångsskolan').suppressed).toBe('complementary');
    expect(get('Hagalunds skola').suppressed).toBeNull();
    // With --small-groups-only only Tallbacka is hidden.
    const internal = analyseTransition(withThree, { by: ['area', 'school', 'subject'], minGroup: 10, alpha: 0.05, suppression: 'small_groups_only' });
    const hiddenInternal = internal.groups.filter((g) => g.suppressed !== null).map((g) => [g.key.school, g.key.subject, g.suppressed]);
    expect(hiddenInternal).toEqual([['Tallbacka 6–9', 'MA', 'small_group']]);
  });
});

let serial = 0;
function gapRecord(school: string, grade: number | null, test: number | null): GapRecord {
  serial++;
  return { pupil: `P${serial}`, school_year: '2024/25', grade_level: 9, area: 'Norra', school, class: '9A', subject: 'BI', gender: 'girl', teacher: 'T1', grade: grade as GapRecord['grade'], test: test as GapRecord['test'] };
}

describe('analyseGap: a school with grades but no test in the subject', () => {
  // Norra, biology år 9: A 40 and B 25 pupils with grade and test (C, C); Z gave grades but
  // took no biology test (18 grades only, n = 0).
  const records = [
    ...Array.from({ length: 40 }, () => gapRecord('A', 3, 3)),
    ...Array.from({ length: 25 }, () => gapRecord('B', 3, 3)),
    ...Array.from({ length: 18 }, () => gapRecord('Z', 3, null)),
  ];
  const result = analyseGap(cellsFromRecords(records), { by: ['school_year', 'grade_level', 'area', 'school', 'subject'], minGroup: 10, alpha: 0.05 });

  it('hides nothing and has no row for the school without tests', () => {
    expect(result.groups.map((g) => [g.key.area ?? null, g.key.school ?? null, g.n, g.suppressed])).toEqual([
      [null, null, 65, null],
      ['Norra', null, 65, null],
      ['Norra', 'A', 40, null],
      ['Norra', 'B', 25, null],
    ]);
    // Z's 18 grades without a test are still counted in the area and the total.
    expect(result.groups[1]!.figures!.n_grade_only).toBe(18);
  });

  it('with --small-groups-only as well (nothing small to hide)', () => {
    const internal = analyseGap(cellsFromRecords(records), { by: ['school_year', 'grade_level', 'area', 'school', 'subject'], minGroup: 10, alpha: 0.05, suppression: 'small_groups_only' });
    expect(internal.groups.map((g) => g.suppressed)).toEqual([null, null, null, null]);
    expect(internal.options.suppression).toBe('small_groups_only');
  });
});
