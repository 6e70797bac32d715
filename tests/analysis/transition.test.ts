import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import {
  analyseTransition,
  analyseTransitionCells,
  cohortFor,
  linkTransition,
  linkTransitionCells,
  listTransitionCases,
  transitionCells,
  transitionCohorts,
  type LinkOptions,
  type TransitionCell,
  type TransitionRecord,
} from '../../src/analysis/transition.js';
import { backgroundSpec } from '../../src/normalise/background.js';
import type { Dimension } from '../../src/types.js';
import { genderResolver, readExports } from '../../src/normalise/ingest.js';
import type { InputSource } from '../../src/read/inputs.js';
import type { Config } from '../../src/config.js';

function source(name: string, text: string): InputSource {
  return {
    name,
    open: async function* () {
      yield Buffer.from(text, 'utf8');
    },
  };
}

const DEFAULT_LINK: LinkOptions = { fromLevel: 5, toLevel: 6, fromKind: 'assessment', toKind: 'test', attributeTo: 'from' };

async function link(files: [string, string][], options: Partial<LinkOptions> = {}, config: Config = {}) {
  const { store } = await readExports(
    files.map(([name, text]) => source(name, text)),
    { config, areas: new Map() },
  );
  return linkTransition(store, { ...DEFAULT_LINK, ...options }, genderResolver(store));
}

function byPupil(records: TransitionRecord[]): Record<string, TransitionRecord> {
  return Object.fromEntries(records.map((r) => [`${r.pupil}|${r.subject}`, r]));
}

// Year 5 in 2023/24 (12-digit ids, tab-separated) and year 6 in 2024/25 (10-digit ids with dash).
const YEAR5 = [
  'student_id\tschool\tarea\tgrade_level\tschool_year\tsubject\tkind\tresult',
  '201301019991\tAskolan\tNorra\t5\t2023/24\tMA\tbedömning\t1', // pass → test C: pass→pass
  '201301029982\tAskolan\tNorra\t5\t2023/24\tMA\tbedömning\t0', // fail → test D: fail→pass
  '201301039973\tAskolan\tNorra\t5\t2023/24\tMA\tbedömning\t2', // pass → moved away (no test)
  '201301049964\tAskolan\tNorra\t5\t2023/24\tMA\tbedömning\t1', // changes to Bskolan (Södra) in år 6, test F: pass→fail
  '201301059955\tAskolan\tNorra\t5\t2023/24\tMA\tbedömning\t-1', // missing omdöme, test E
  '201301069946\tAskolan\tNorra\t5\t2022/23\tMA\tbedömning\t1', // år 5 a year too early: its år 6 would be 2023/24
].join('\n');
const YEAR6 = [
  'Personnummer;Skola;Skolområde;Årskurs;Provår;Ämne;Provbetyg',
  '130101-9991;Askolan;Norra;6;2025;Matematik;C',
  '130102-9982;Askolan;Norra;6;2025;Matematik;D',
  '130104-9964;Bskolan;Södra;6;2025;Matematik;F',
  '130105-9955;Askolan;Norra;6;2025;Matematik;E',
  '130107-9937;Bskolan;Södra;6;2025;Matematik;B', // moved in: no år 5 assessment
].join('\n');

describe('linkTransition', () => {
  it('links år 5 to år 6 the next school year across id formats, and accounts for the rest', async () => {
    const { records, coverage } = await link([
      ['ak5.tsv', YEAR5],
      ['ak6.csv', YEAR6],
    ]);
    const r = byPupil(records);
    expect(r['201301019991|MA']).toMatchObject({ status: 'linked', fromPass: true, toPass: true, school: 'Askolan', school_year: '2024/25' });
    expect(r['201301029982|MA']).toMatchObject({ status: 'linked', fromPass: false, toPass: true });
    expect(r['201301039973|MA']).toMatchObject({ status: 'from_only', school: 'Askolan', school_year: '2024/25' });
    expect(r['201301049964|MA']).toMatchObject({ status: 'linked', fromPass: true, toPass: false, school: 'Askolan', area: 'Norra', changedSchool: true });
    expect(r['201301059955|MA']).toMatchObject({ status: 'from_missing', fromPass: null, toPass: true });
    expect(r['201301079937|MA']).toMatchObject({ status: 'to_only', school: 'Bskolan' });
    expect(coverage).toMatchObject({ linked: 3, from_only: 1, to_only: 1, from_missing: 1, changed_school: 1 });
  });

  it('leaves out cohorts the data does not cover at both ends', async () => {
    // The 2022/23 år 5 pupil would be in år 6 in 2023/24, a year with no år 6 results in the data.
    const { records, coverage } = await link([
      ['ak5.tsv', YEAR5],
      ['ak6.csv', YEAR6],
    ]);
    expect(records.find((r) => r.pupil === '201301069946')).toBeUndefined();
    expect(coverage.outside_years).toBe(1);
  });

  it('--attribute-to to counts a pupil who changed school under the år 6 school', async () => {
    const { records } = await link(
      [
        ['ak5.tsv', YEAR5],
        ['ak6.csv', YEAR6],
      ],
      { attributeTo: 'to' },
    );
    expect(byPupil(records)['201301049964|MA']).toMatchObject({ school: 'Bskolan', area: 'Södra' });
  });

  it('reads every omdöme scale as pass / fail / missing', async () => {
    const rows = [
      ['Ej nått E-nivå', false],
      ['Godtagbara kunskaper', true],
      ['Mer än godtagbara kunskaper', true],
      ['Uppnått', true],
      ['Ej uppnått', false],
      ['Når', true],
      ['Når ej', false],
      ['Ja', true],
      ['Nej', false],
      ['E', true],
      ['F', false],
      ['-', null],
      ['', null],
    ] as const;
    const year5 = ['Personnummer;Skola;Åk;Läsår;Ämne;Omdöme'];
    const year6 = ['Personnummer;Skola;Åk;Läsår;Ämne;Provbetyg'];
    rows.forEach(([label], i) => {
      const id = `2013020${String(i).padStart(2, '0')}123`.slice(0, 12);
      year5.push(`${id};S;5;2023/24;EN;${label}`);
      year6.push(`${id};S;6;2024/25;EN;C`);
    });
    const { records } = await link([
      ['a.csv', year5.join('\n')],
      ['b.csv', year6.join('\n')],
    ]);
    const sorted = [...records].sort((a, b) => (a.pupil < b.pupil ? -1 : 1));
    // A blank cell records no omdöme at all, so that pupil has a test only.
    expect(sorted.map((r) => r.fromPass)).toEqual([false, true, true, true, false, true, false, true, false, true, false, null, null]);
    expect(sorted.at(-1)?.status).toBe('to_only');
    expect(sorted.at(-2)?.status).toBe('from_missing');
  });

  it('uses a scale from the config file', async () => {
    const config: Config = { assessment_scale: { labels: ['Röd', 'Gul', 'Grön'], passing: ['Gul', 'Grön'], missing: ['Grå'] } };
    const { records } = await link(
      [
        ['a.csv', 'Personnummer;Skola;Åk;Läsår;Ämne;Omdöme\n201303019991;S;5;2023/24;MA;Röd\n201303029982;S;5;2023/24;MA;Grön\n201303039973;S;5;2023/24;MA;Grå'],
        ['b.csv', 'Personnummer;Skola;Åk;Läsår;Ämne;Provbetyg\n201303019991;S;6;2024/25;MA;E\n201303029982;S;6;2024/25;MA;F\n201303039973;S;6;2024/25;MA;A'],
      ],
      {},
      config,
    );
    expect(records.map((r) => [r.fromPass, r.toPass, r.status])).toEqual([
      [false, true, 'linked'],
      [true, false, 'linked'],
      [null, true, 'from_missing'],
    ]);
  });

  it('compares grades with tests (6 → 9) and tests with tests', async () => {
    const text = [
      'Personnummer;Skola;Åk;Läsår;Ämne;Betyg;Provbetyg',
      '201001019991;S;6;2021/22;MA;C;D',
      '201001019991;S;9;2024/25;MA;B;C',
    ].join('\n');
    const grade = await link([['x.csv', text]], { fromLevel: 6, toLevel: 9, fromKind: 'grade', toKind: 'test' });
    expect(grade.records[0]).toMatchObject({ status: 'linked', fromStep: 3, toStep: 3 });
    const test = await link([['x.csv', text]], { fromLevel: 6, toLevel: 9, fromKind: 'test', toKind: 'test' });
    expect(test.records[0]).toMatchObject({ status: 'linked', fromStep: 2, toStep: 3 });
  });
});

function records(counts: { pp: number; pf: number; fp: number; ff: number }, over: Partial<TransitionRecord> = {}): TransitionRecord[] {
  const out: TransitionRecord[] = [];
  const add = (n: number, fromPass: boolean, toPass: boolean) => {
    for (let i = 0; i < n; i++) {
      out.push({
        pupil: `p${out.length}`,
        status: 'linked',
        school_year: '2024/25',
        grade_level: 6,
        area: 'Norra',
        school: 'S',
        class: '6A',
        subject: 'MA',
        gender: 'girl',
        teacher: '(saknas)',
        fromPass,
        toPass,
        fromStep: null,
        toStep: null,
        changedSchool: false,
        ...over,
      });
    }
  };
  add(counts.pp, true, true);
  add(counts.pf, true, false);
  add(counts.fp, false, true);
  add(counts.ff, false, false);
  return out;
}

const OPTIONS = { by: ['area', 'subject'] as const, minGroup: 10, alpha: 0.05 };

describe('analyseTransition', () => {
  it('2×2 table, pass shares, difference and McNemar for a strict area', () => {
    // 208 pass→pass, 1 pass→fail, 32 fail→pass, 20 fail→fail (n = 261).
    const result = analyseTransition(records({ pp: 208, pf: 1, fp: 32, ff: 20 }), OPTIONS);
    const area = result.groups.find((g) => g.key.area === 'Norra')!.figures!;
    expect(area.share_pass_from).toBeCloseTo(209 / 261, 12);
    expect(area.share_pass_to).toBeCloseTo(240 / 261, 12);
    expect(area.diff_pp).toBeCloseTo(-31 / 261, 12);
    expect(area.share_fail_pass).toBeCloseTo(32 / 261, 12);
    // Exact McNemar: 2 · P(X ≤ 1), X ~ Bin(33, ½) = 2 · (1 + 33) / 2³³ = 68 / 8 589 934 592.
    expect(area.p_value).toBeCloseTo(68 / 8589934592, 15);
    expect(area.verdict).toBe('strict');
    expect(area.diff_ci_low).toBeLessThan(area.diff_pp);
    expect(area.diff_ci_high).toBeLessThan(0);
    expect(area.mean_diff).toBeNull();
  });

  it('the interval inverts the same exact test as the verdict (Clopper–Pearson on the pupils who crossed the bar)', () => {
    // b = 8, c = 2, n = 55: scipy binomtest(8, 10).proportion_ci(method='exact') → π_low, π_high;
    // diff = 10 (2π − 1) / 55 → −0.02039834993005146 … 0.17265064497206054; p = 0.109 → in line, 0 inside.
    const f = analyseTransition(records({ pp: 40, pf: 8, fp: 2, ff: 5 }), OPTIONS).groups[0]!.figures!;
    expect(f.diff_ci_low).toBeCloseTo(-0.02039834993005146, 10);
    expect(f.diff_ci_high).toBeCloseTo(0.17265064497206054, 10);
    // At α = 0.2 the 80 % interval: 0.018325858664150454 … 0.16198959272811972, generous, 0 outside.
    const at20 = analyseTransition(records({ pp: 40, pf: 8, fp: 2, ff: 5 }), { ...OPTIONS, alpha: 0.2 }).groups[0]!.figures!;
    expect(at20.verdict).toBe('generous');
    expect(at20.diff_ci_low).toBeCloseTo(0.018325858664150454, 10);
    expect(at20.diff_ci_high).toBeCloseTo(0.16198959272811972, 10);
    // b = 1, c = 7, n = 40 (−15 pp): p = 0.0703 → in line, and the interval (scipy: −0.1987361105874991 …
    // 0.010603868350065503) holds 0; Newcombe's interval leaves 0 out here, the contradiction this removes.
    const g = analyseTransition(records({ pp: 20, pf: 1, fp: 7, ff: 12 }), OPTIONS).groups[0]!.figures!;
    expect(g.verdict).toBe('in_line');
    expect(g.diff_ci_low).toBeCloseTo(-0.1987361105874991, 10);
    expect(g.diff_ci_high).toBeCloseTo(0.010603868350065503, 10);
  });

  it('diff_se: the unconditional standard error with ½ added to each cell (Agresti–Min), for comparing years', () => {
    // a, b, c, d = 40, 8, 2, 5 → 40.5, 8.5, 2.5, 5.5, n = 57: √(11 − 6² / 57) / 57 = 0.05466…
    const f = analyseTransition(records({ pp: 40, pf: 8, fp: 2, ff: 5 }), OPTIONS).groups[0]!.figures!;
    expect(f.diff_se).toBeCloseTo(Math.sqrt(11 - 36 / 57) / 57, 14);
    // No pupil crossed the bar: the conditional interval is 0 … 0, the standard error is not 0.
    const g = analyseTransition(records({ pp: 20, pf: 0, fp: 0, ff: 5 }), OPTIONS).groups[0]!.figures!;
    expect([g.diff_ci_low, g.diff_ci_high]).toEqual([0, 0]);
    expect(g.diff_se).toBeCloseTo(1 / 27, 14);
  });

  it('every verdict agrees with its interval', () => {
    for (let b = 0; b <= 25; b++) {
      for (let c = 0; c <= 25; c++) {
        const f = analyseTransition(records({ pp: 10, pf: b, fp: c, ff: 3 }), OPTIONS).groups[0]!.figures!;
        const excludesZero = f.diff_ci_low > 0 || f.diff_ci_high < 0;
        expect(excludesZero).toBe(f.verdict !== 'in_line');
        if (f.verdict === 'strict') expect(f.diff_ci_high).toBeLessThan(0);
        if (f.verdict === 'generous') expect(f.diff_ci_low).toBeGreaterThan(0);
      }
    }
  });

  it('adjusts the p-values for many comparisons (Benjamini–Hochberg) and counts the verdicts that survive', () => {
    const many = [
      ...records({ pp: 40, pf: 1, fp: 12, ff: 5 }, { area: 'A' }),
      ...records({ pp: 40, pf: 2, fp: 8, ff: 5 }, { area: 'B' }),
      ...records({ pp: 40, pf: 3, fp: 3, ff: 5 }, { area: 'C' }),
    ];
    const result = analyseTransition(many, OPTIONS);
    const areas = result.groups.filter((g) => g.level === 'area').map((g) => g.figures!);
    // p: A = 2 · (1 + 13) / 2¹³ = 0.00341796875; B = 2 · (1 + 10 + 45) / 1024 = 0.109375; C = 1.
    // BH (m = 3): A 0.0102539…, B 0.1640625, C 1.
    expect(areas.map((f) => f.p_adj)).toEqual([expect.closeTo(0.01025390625, 12), expect.closeTo(0.1640625, 12), 1]);
    expect(result.comparisons.verdicts).toEqual({ tests: 3, flagged: 1, flagged_adjusted: 1, expected_by_chance: 0.15000000000000002 });
    expect(result.groups.find((g) => g.level === 'total')!.figures!.p_adj).toBeNull();
  });

  it('generous and in-line verdicts at the chosen alpha', () => {
    // b = 8, c = 2: p = 2 · (1 + 10 + 45) / 1024 = 0.109375 (hand-computed binomial sum).
    const records8 = records({ pp: 40, pf: 8, fp: 2, ff: 5 });
    const atFive = analyseTransition(records8, OPTIONS).groups[0]!.figures!;
    expect(atFive.p_value).toBeCloseTo(0.109375, 12);
    expect(atFive.verdict).toBe('in_line');
    const atTwenty = analyseTransition(records8, { ...OPTIONS, alpha: 0.2 }).groups[0]!.figures!;
    expect(atTwenty.verdict).toBe('generous');
  });

  it('no discordant pairs: p = 1, in line', () => {
    const f = analyseTransition(records({ pp: 20, pf: 0, fp: 0, ff: 5 }), OPTIONS).groups[0]!.figures!;
    expect(f.p_value).toBe(1);
    expect(f.verdict).toBe('in_line');
  });

  it('counts moved pupils per group and hides small groups', () => {
    const moved: TransitionRecord[] = [
      ...records({ pp: 5, pf: 0, fp: 0, ff: 0 }, { area: 'Södra' }),
      ...records({ pp: 12, pf: 0, fp: 0, ff: 0 }),
      ...records({ pp: 2, pf: 0, fp: 0, ff: 0 }).map((r) => ({ ...r, status: 'from_only' as const })),
      ...records({ pp: 3, pf: 0, fp: 0, ff: 0 }).map((r) => ({ ...r, status: 'to_only' as const })),
    ];
    const result = analyseTransition(moved, OPTIONS);
    const norra = result.groups.find((g) => g.key.area === 'Norra')!;
    const total = result.groups.find((g) => g.key.area === null)!;
    expect(total.figures).toMatchObject({ n_from_only: 2, n_to_only: 3, pass_pass: 17 });
    const sodra = result.groups.find((g) => g.key.area === 'Södra')!;
    expect(sodra.suppressed).toBe('small_group');
    expect(sodra.figures).toBeNull();
    // With only two areas, hiding Södra would let the total reveal it: Norra is hidden too.
    expect(norra.suppressed).toBe('complementary');
    expect(result.groups.find((g) => g.key.area === null)!.n).toBe(17);
  });

  it('mean grade-point difference and kappa when both sides are A–F', () => {
    const graded = records({ pp: 10, pf: 0, fp: 0, ff: 0 }).map((r, i) => ({ ...r, fromStep: (i < 5 ? 3 : 4) as 3 | 4, toStep: 3 as const }));
    const f = analyseTransition(graded, OPTIONS).groups[0]!.figures!;
    // Five C→C (0) and five B→C (+2.5): mean 1.25.
    expect(f.mean_diff).toBeCloseTo(1.25, 12);
    // Quadratic weights ((i − j)/5)²: observed Σw·o = 5 · 0.04 = 0.2; expected (margins B 5, C 5 × C 10)
    // Σw·e = 5 · 0.04 = 0.2 → κ = 1 − 0.2/0.2 = 0: grading B instead of C half the time is no better than chance here.
    expect(f.kappa_w).toBeCloseTo(0, 12);
  });
});

describe('transitionCohorts', () => {
  it('names the one cohort linked, with its linked pupil–subjects once no cohort is small', async () => {
    const { records, coverage } = await link([
      ['ak5.tsv', YEAR5],
      ['ak6.csv', YEAR6],
    ]);
    expect(transitionCohorts(transitionCells(records), DEFAULT_LINK, 1)).toEqual([{ from_school_year: '2023/24', to_school_year: '2024/25', from_level: 5, to_level: 6, linked: coverage.linked }]);
    // Three linked: below --min-group 10, so the count is left out.
    expect(transitionCohorts(transitionCells(records), DEFAULT_LINK, 10)).toEqual([{ from_school_year: '2023/24', to_school_year: '2024/25', from_level: 5, to_level: 6, linked: null }]);
  });

  it('lists every cohort oldest first, counts only linked records, and hides all counts when one cohort is small', () => {
    const record = (school_year: string, status: TransitionRecord['status']) => ({ school_year, status }) as TransitionRecord;
    const records = [
      ...Array.from({ length: 12 }, () => record('2024/25', 'linked')),
      record('2024/25', 'from_only'),
      record('2024/25', 'to_only'),
      ...Array.from({ length: 10 }, () => record('2023/24', 'linked')),
      record('2023/24', 'from_missing'),
    ];
    const cells = transitionCells(records);
    expect(transitionCohorts(cells, DEFAULT_LINK, 10)).toEqual([
      { from_school_year: '2022/23', to_school_year: '2023/24', from_level: 5, to_level: 6, linked: 10 },
      { from_school_year: '2023/24', to_school_year: '2024/25', from_level: 5, to_level: 6, linked: 12 },
    ]);
    expect(transitionCohorts(cells, DEFAULT_LINK, 11).map((c) => c.linked)).toEqual([null, null]);
    expect(transitionCohorts([], DEFAULT_LINK, 10)).toEqual([]);
  });

  it('goes back as many school years as the levels are apart (6 → 9)', () => {
    expect(cohortFor('2024/25', 6, 9)).toEqual({ from_school_year: '2021/22', to_school_year: '2024/25', from_level: 6, to_level: 9 });
    expect(cohortFor('2000/01', 5, 6)).toEqual({ from_school_year: '1999/00', to_school_year: '2000/01', from_level: 5, to_level: 6 });
  });
});

describe('linkTransitionCells', () => {
  async function readStore(files: [string, string | Buffer][], background: string[] = []) {
    const specs = background.map((word) => backgroundSpec(word));
    const { store } = await readExports(
      files.map(([name, content]) => (typeof content === 'string' ? source(name, content) : { name, open: async function* () { yield content; } })),
      { config: {}, areas: new Map(), ...(specs.length > 0 ? { background: specs.filter((spec) => spec !== null) } : {}) },
    );
    return store;
  }
  const counts = (cell: TransitionCell) => {
    const { a, b, c, d, fromOnly, toOnly, fromMissing, toMissing, stepped } = cell.acc;
    return { a, b, c, d, fromOnly, toOnly, fromMissing, toMissing, stepped };
  };
  const ZERO = { a: 0, b: 0, c: 0, d: 0, fromOnly: 0, toOnly: 0, fromMissing: 0, toMissing: 0, stepped: 0 };
  const BY = ['area', 'school', 'subject'] as const;

  it('counts the links into cells by the school of the side the pupil is counted under', async () => {
    // By hand (YEAR5, YEAR6 above): at Askolan 9991 pass→pass (a), 9982 fail→pass (c), 9964
    // pass→fail (b, moved to Bskolan), 9973 from only, 9955 omdöme missing; 9937 moved in to
    // Bskolan (to only); 9946's år 6 year is not in the data (outside). Omdömen have no A–F step.
    const store = await readStore([
      ['ak5.tsv', YEAR5],
      ['ak6.csv', YEAR6],
    ]);
    const { cells, coverage, cases } = linkTransitionCells(store, DEFAULT_LINK, genderResolver(store), BY);
    expect(cases).toBeNull();
    expect(coverage).toEqual({ linked: 3, from_only: 1, to_only: 1, from_missing: 1, to_missing: 0, changed_school: 1, unknown_grade_level: 0, assessment_level_assumed: 0, conflict_left_out: 0, outside_years: 1 });
    expect(cells.map((cell) => cell.dims)).toEqual([
      { school_year: '2024/25', grade_level: 6, area: 'Norra', school: 'Askolan', class: null, subject: 'MA', gender: null, teacher: null },
      { school_year: '2024/25', grade_level: 6, area: 'Södra', school: 'Bskolan', class: null, subject: 'MA', gender: null, teacher: null },
    ]);
    expect(cells.map(counts)).toEqual([
      { ...ZERO, a: 1, b: 1, c: 1, fromOnly: 1, fromMissing: 1 },
      { ...ZERO, toOnly: 1 },
    ]);

    const to = linkTransitionCells(store, { ...DEFAULT_LINK, attributeTo: 'to' }, genderResolver(store), BY);
    expect(to.coverage).toEqual(coverage);
    // 9964's pass→fail now counts under Bskolan, before the pupil who moved in there.
    expect(to.cells.map(counts)).toEqual([
      { ...ZERO, a: 1, c: 1, fromOnly: 1, fromMissing: 1 },
      { ...ZERO, b: 1, toOnly: 1 },
    ]);
  });

  it('splits cells by gender when asked, and returns the linked pupils whose pass/fail changed', async () => {
    const store = await readStore([
      ['ak5.tsv', YEAR5],
      ['ak6.csv', YEAR6],
    ]);
    // Gender from the personnummer's second-last digit: 9991, 9973, 9955, 9937 boys; 9982, 9964 girls.
    const { cells, cases } = linkTransitionCells(store, DEFAULT_LINK, genderResolver(store), [...BY, 'gender'], true);
    expect(cells.map((cell) => [cell.dims.school, cell.dims.gender, counts(cell)])).toEqual([
      ['Askolan', 'boy', { ...ZERO, a: 1, fromOnly: 1, fromMissing: 1 }],
      ['Askolan', 'girl', { ...ZERO, b: 1, c: 1 }],
      ['Bskolan', 'boy', { ...ZERO, toOnly: 1 }],
    ]);
    expect(cases?.map((r) => [r.pupil, r.fromPass, r.toPass, r.school, r.changedSchool])).toEqual([
      ['201301029982', false, true, 'Askolan', false],
      ['201301049964', true, false, 'Askolan', true],
    ]);
  });

  it('counts A–F steps where both sides have one, and missing values on either side', async () => {
    const text = [
      'Personnummer;Skola;Åk;Läsår;Ämne;Betyg',
      '201001019991;S;6;2023/24;MA;C', // C → B: pass→pass, stepped
      '201001019991;S;7;2024/25;MA;B',
      '201001029982;S;6;2023/24;MA;F', // F → E: fail→pass, stepped
      '201001029982;S;7;2024/25;MA;E',
      '201001039973;S;6;2023/24;MA;-', // streck in år 6: from missing
      '201001039973;S;7;2024/25;MA;D',
      '201001049964;S;6;2023/24;MA;D', // streck in år 7: to missing
      '201001049964;S;7;2024/25;MA;-',
    ].join('\n');
    const store = await readStore([['x.csv', text]]);
    const link: LinkOptions = { fromLevel: 6, toLevel: 7, fromKind: 'grade', toKind: 'grade', attributeTo: 'from' };
    const { cells, coverage } = linkTransitionCells(store, link, genderResolver(store), BY);
    expect(coverage).toMatchObject({ linked: 2, from_missing: 1, to_missing: 1 });
    expect(cells.map(counts)).toEqual([{ ...ZERO, a: 1, c: 1, fromMissing: 1, toMissing: 1, stepped: 2 }]);
    const steps = cells[0]!.acc.steps;
    expect(steps[3 * 6 + 4]).toBe(1); // C (3) → B (4)
    expect(steps[0 * 6 + 1]).toBe(1); // F (0) → E (1)
    expect(steps.reduce((sum, n) => sum + n, 0)).toBe(2);
  });

  it('gives each cell the background value of the counted side, else of the other side', async () => {
    const year5 = [
      'Personnummer;Skola;Åk;Läsår;Ämne;Omdöme;Nyanländ',
      '201301019991;S;5;2023/24;MA;1;Ja',
      '201301029982;S;5;2023/24;MA;1;Nej',
      '201301039973;S;5;2023/24;MA;1;Ja',
    ].join('\n');
    const year6 = [
      'Personnummer;Skola;Åk;Läsår;Ämne;Provbetyg;Nyanländ',
      '201301019991;S;6;2024/25;MA;C;', // blank in år 6: år 5's Ja
      '201301029982;S;6;2024/25;MA;C;Ja',
      '201301039973;S;6;2024/25;MA;C;Nej',
    ].join('\n');
    const store = await readStore(
      [
        ['a.csv', year5],
        ['b.csv', year6],
      ],
      ['nyanländ'],
    );
    const by = ['school', 'bg_newly_arrived'] as const;
    const fromSide = linkTransitionCells(store, DEFAULT_LINK, genderResolver(store), by);
    expect(fromSide.cells.map((cell) => [cell.dims.bg_newly_arrived, cell.acc.a])).toEqual([
      ['yes', 2],
      ['no', 1],
    ]);
    const toSide = linkTransitionCells(store, { ...DEFAULT_LINK, attributeTo: 'to' }, genderResolver(store), by);
    expect(toSide.cells.map((cell) => [cell.dims.bg_newly_arrived, cell.acc.a])).toEqual([
      ['yes', 2],
      ['no', 1],
    ]);
    expect(toSide.cells[0]!.acc.a + toSide.cells[1]!.acc.a).toBe(3);
  });

  it('gives the same analysis as the per-pupil records, on the demo municipality', async () => {
    const dir = 'fixtures/demo/exports';
    const names = (await readdir(dir)).sort();
    // The demo's files are in several encodings: read as bytes, as the program does.
    const store = await readStore(await Promise.all(names.map(async (name): Promise<[string, Buffer]> => [name, await readFile(`${dir}/${name}`)])));
    const cases: [LinkOptions, readonly Dimension[]][] = [
      [DEFAULT_LINK, ['area', 'school', 'subject']],
      [{ ...DEFAULT_LINK, attributeTo: 'to' }, ['school_year', 'area', 'school', 'class', 'subject', 'gender']],
      [DEFAULT_LINK, ['school_year', 'gender', 'subject']],
      [{ fromLevel: 5, toLevel: 6, fromKind: 'assessment', toKind: 'grade', attributeTo: 'to' }, ['class', 'subject']],
    ];
    for (const [link, by] of cases) {
      const options = { by, minGroup: 3, alpha: 0.05 };
      const viaRecords = linkTransition(store, link, genderResolver(store));
      const viaCells = linkTransitionCells(store, link, genderResolver(store), by, true);
      expect(viaCells.coverage).toEqual(viaRecords.coverage);
      expect(viaCells.coverage.linked).toBeGreaterThan(100);
      expect(analyseTransitionCells(viaCells.cells, options)).toEqual(analyseTransition(viaRecords.records, options));
      expect(transitionCohorts(viaCells.cells, link, 3)).toEqual(transitionCohorts(transitionCells(viaRecords.records), link, 3));
      expect(listTransitionCases(viaCells.cases ?? [])).toEqual(listTransitionCases(viaRecords.records));
    }
  });
});
