/**
 * A background column as a dimension (--by nyanländ) and the background-adjusted standardised gap,
 * against an independent computation: tests/analysis/independent/background.py (numpy, written
 * apart from src/) on fixtures/background, whose printed values are pinned here.
 */
import { describe, expect, it } from 'vitest';
import { runIn } from '../cli/run.js';

const FIXTURE = ['fixtures/background'];

interface Row {
  school: string | null;
  bg_newly_arrived?: string | null;
  n: number | null;
  share_higher: number | null;
  share_lower: number | null;
  mean_diff: number | null;
  std_gap: number | null;
  std_gap_ci_low: number | null;
  std_gap_ci_high: number | null;
  std_n_adjusted?: number | null;
  expected_mean_diff_adjusted?: number | null;
  std_gap_adjusted?: number | null;
  std_gap_adjusted_ci_low?: number | null;
  std_gap_adjusted_ci_high?: number | null;
  std_gap_adjusted_steps?: number | null;
  std_gap_adjusted_steps_ci_low?: number | null;
  std_gap_adjusted_steps_ci_high?: number | null;
  adjusted_for?: string | null;
  suppressed_reason: string | null;
}

async function gapRows(args: string[]): Promise<{ rows: Row[]; meta: Record<string, unknown> }> {
  const result = await runIn(['gap', ...FIXTURE, '-q', '--format', 'json', ...args]);
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { rows: Row[]; meta: Record<string, unknown> };
}

/** Python's lines: group → n, higher, lower, mean_diff[, std_gap, its CI, adjusted n, expected, gap, CI, steps, CI]. */
type Expected = [number, number, number, number, ...number[]];

// python3 tests/analysis/independent/background.py, first part (--by skola,nyanländ).
const BY_NEWLY_ARRIVED: Record<string, Expected> = {
  'Totalt|alla': [534, 0.297752809, 0.127340824, 0.4775280899],
  'Totalt|(okänd)': [6, 0.0, 0.1666666667, -0.4166666667],
  'Totalt|no': [438, 0.2465753425, 0.1392694064, 0.2568493151],
  'Totalt|yes': [90, 0.5666666667, 0.0666666667, 1.6111111111],
  'Fjällskolan|alla': [192, 0.2552083333, 0.1510416667, 0.2994791667, -0.3193246396, -0.7441531334, 0.1055038542, 191, 1.2225046308, -0.9214575104, -1.4634590262, -0.3794559946, -0.2648612741, -0.3976266907, -0.1320958575],
  'Fjällskolan|(okänd)': [3, 0.0, 0.3333333333, -0.8333333333, -1.25, -1.25, -1.25, 2, 0.0, -1.25, -1.25, -1.25, -0.5, -0.5, -0.5],
  'Fjällskolan|no': [120, 0.0916666667, 0.1916666667, -0.4166666667, -0.8942325691, -1.3338533904, -0.4546117478, 120, 0.4775659024, -0.8942325691, -1.3338533904, -0.4546117478, -0.259269274, -0.3866590981, -0.1318794498],
  'Fjällskolan|yes': [69, 0.5507246377, 0.0724637681, 1.5942028986, -0.9592822636, -2.2501813126, 0.3316167854, 69, 2.5534851622, -0.9592822636, -2.2501813126, 0.3316167854, -0.2677708765, -0.560994929, 0.025453176],
  'Granskolan|alla': [156, 0.25, 0.1666666667, 0.1442307692, -0.3815756017, -0.7873680964, 0.024216893, 154, 0.4134941489, -0.2673902528, -0.661118457, 0.1263379513, -0.091804586, -0.2073149905, 0.0237058185],
  'Granskolan|(okänd)': [3, 0.0, 0.0, 0.0, 1.25, -1.7505697977, 4.2505697977, 1, -1.25, 1.25, -1.7505697977, 4.2505697977, 0.5, -0.7002279191, 1.7002279191],
  'Granskolan|no': [141, 0.219858156, 0.1843971631, -0.0177304965, -0.3965987482, -0.8125969772, 0.0193994808, 141, 0.3788682518, -0.3965987482, -0.8125969772, 0.0193994808, -0.136771887, -0.2586773473, -0.0148664267],
  'Granskolan|yes': [12, 0.6666666667, 0.0, 2.0833333333, 1.1243603801, -0.1311798137, 2.3799005739, 12, 0.9589729532, 1.1243603801, -0.1311798137, 2.3799005739, 0.387244152, 0.0188443522, 0.7556439519],
  'Havsskolan|alla': [144, 0.4097222222, 0.0347222222, 1.1458333333, 0.8238732371, 0.2982022671, 1.3495442071, 144, -0.0540016435, 1.1998349768, 0.7029664094, 1.6967035442, 0.3527864739, 0.2334748615, 0.4720980863],
  'Havsskolan|no': [138, 0.4130434783, 0.0289855072, 1.1775362319, 1.3024272049, 0.802527468, 1.8023269417, 138, -0.124890973, 1.3024272049, 0.802527468, 1.8023269417, 0.3841230559, 0.2624945679, 0.5057515438],
  'Havsskolan|yes': [6, 0.3333333333, 0.1666666667, 0.4166666667, -1.1597862685, -4.322850747, 2.00327821, 6, 1.5764529351, -1.1597862685, -4.322850747, 2.00327821, -0.3679549114, -0.9793095691, 0.2433997463],
  'Kärrskolan|alla': [42, 0.2857142857, 0.1904761905, 0.2380952381, -0.2775982485, -1.1071923443, 0.5519958472, 42, 0.349899701, -0.1118044629, -0.9075633485, 0.6839544226, -0.0496797684, -0.2373320817, 0.137972545],
  'Kärrskolan|no': [39, 0.2307692308, 0.2051282051, 0.0641025641, -0.2015781619, -1.0447912103, 0.6416348866, 39, 0.265680726, -0.2015781619, -1.0447912103, 0.6416348866, -0.0859706313, -0.2785754111, 0.1066341486],
  'Kärrskolan|yes': [3, 1.0, 0.0, 2.5, 1.0552536232, -0.9329914724, 3.0434987188, 3, 1.4447463768, 1.0552536232, -0.9329914724, 3.0434987188, 0.4221014493, -0.373196589, 1.2173994875],
};

// The second part (--by skola --adjust-for nyanländ,föräldrarnas utbildningsnivå).
const ADJUSTED_TWO: Record<string, Expected> = {
  'Totalt|alla': [534, 0.297752809, 0.127340824, 0.4775280899],
  'Fjällskolan|alla': [192, 0.2552083333, 0.1510416667, 0.2994791667, -0.3193246396, -0.7441531334, 0.1055038542, 158, 0.8893381114, -0.8893381114, -1.5887222517, -0.1899539712, -0.2745492892, -0.4238619233, -0.125236655],
  'Granskolan|alla': [156, 0.25, 0.1666666667, 0.1442307692, -0.3815756017, -0.7873680964, 0.024216893, 152, 0.5207997711, -0.3727734553, -0.740253954, -0.0052929567, -0.1204862904, -0.2312487572, -0.0097238237],
  'Havsskolan|alla': [144, 0.4097222222, 0.0347222222, 1.1458333333, 0.8238732371, 0.2982022671, 1.3495442071, 141, -0.1629930062, 1.3332057721, 0.8445161206, 1.8218954237, 0.3757363858, 0.2551555547, 0.4963172169],
  'Kärrskolan|alla': [42, 0.2857142857, 0.1904761905, 0.2380952381, -0.2775982485, -1.1071923443, 0.5519958472, 41, 0.396866325, -0.2139394958, -1.1608243445, 0.732945353, -0.0745421165, -0.2694660978, 0.1203818647],
};

function check(row: Row, expected: Expected): void {
  const [n, higher, lower, meanDiff, ...rest] = expected;
  expect(row.n).toBe(n);
  expect(row.share_higher).toBeCloseTo(higher, 8);
  expect(row.share_lower).toBeCloseTo(lower, 8);
  expect(row.mean_diff).toBeCloseTo(meanDiff, 8);
  if (rest.length === 0) {
    // The municipality (or its pupils of one value) is not compared with itself.
    expect(row.std_gap).toBeNull();
    expect(row.std_gap_adjusted ?? null).toBeNull();
    return;
  }
  const [gap, low, high, adjustedN, expectedDiff, adjusted, adjustedLow, adjustedHigh, steps, stepsLow, stepsHigh] = rest as number[];
  expect(row.std_gap).toBeCloseTo(gap as number, 8);
  expect(row.std_gap_ci_low).toBeCloseTo(low as number, 8);
  expect(row.std_gap_ci_high).toBeCloseTo(high as number, 8);
  // The independent computation gives the pupils compared and the expected difference too, but
  // they are not published (they would count a background value's pupils by test grade).
  expect([adjustedN, expectedDiff].every((value) => typeof value === 'number')).toBe(true);
  expect(row.std_n_adjusted).toBeNull();
  expect(row.expected_mean_diff_adjusted).toBeNull();
  expect(row.std_gap_adjusted).toBeCloseTo(adjusted as number, 8);
  expect(row.std_gap_adjusted_ci_low).toBeCloseTo(adjustedLow as number, 8);
  expect(row.std_gap_adjusted_ci_high).toBeCloseTo(adjustedHigh as number, 8);
  expect(row.std_gap_adjusted_steps).toBeCloseTo(steps as number, 8);
  expect(row.std_gap_adjusted_steps_ci_low).toBeCloseTo(stepsLow as number, 8);
  expect(row.std_gap_adjusted_steps_ci_high).toBeCloseTo(stepsHigh as number, 8);
}

const keyOf = (row: Row) => `${row.school ?? 'Totalt'}|${row.bg_newly_arrived ?? 'alla'}`;

describe('--by skola,nyanländ against the independent computation', () => {
  it('with --min-group 1 every group is shown, and each equals the independent figures (Nyanländ per pupil and school year, conflicts as (okänd))', async () => {
    const { rows, meta } = await gapRows(['--by', 'skola,nyanländ', '--min-group', '1']);
    expect(rows.map(keyOf).sort()).toEqual(Object.keys(BY_NEWLY_ARRIVED).sort());
    for (const row of rows) check(row, BY_NEWLY_ARRIVED[keyOf(row)] as Expected);
    const background = meta.background as { dimensions: { key: string; conflicts: number; conflict_examples: string[] }[]; adjusted_for: string[] };
    expect(background.adjusted_for).toEqual(['bg_newly_arrived']);
    expect(background.dimensions[0]).toMatchObject({ key: 'bg_newly_arrived', conflicts: 2, conflict_examples: ['fixtures/background/prov.csv:20', 'fixtures/background/prov.csv:302'] });
  });

  it('with the default minimum (10), the same figures where shown; no group under 10 shows a figure', async () => {
    const { rows } = await gapRows(['--by', 'skola,nyanländ']);
    expect(rows).toHaveLength(Object.keys(BY_NEWLY_ARRIVED).length);
    for (const row of rows) {
      const expected = BY_NEWLY_ARRIVED[keyOf(row)] as Expected;
      if (expected[0] < 10) expect(row.suppressed_reason).toBe('small_group');
      if (row.suppressed_reason === null) check(row, expected);
      else expect([row.n, row.mean_diff, row.std_gap, row.std_gap_adjusted]).toEqual([null, null, null, null]);
    }
  });

  it('--adjust-for two columns: the schools compared within test grade × Nyanländ × Föräldrarnas utbildningsnivå, beside the unadjusted figure', async () => {
    const { rows, meta } = await gapRows(['--by', 'skola', '--adjust-for', 'nyanländ,Föräldrarnas utbildningsnivå']);
    expect(rows.map(keyOf)).toEqual(Object.keys(ADJUSTED_TWO));
    for (const row of rows) check(row, ADJUSTED_TWO[keyOf(row)] as Expected);
    expect(rows[1]?.adjusted_for).toBe('bg_newly_arrived,bg_parental_education');
    expect((meta.parameters as Record<string, unknown>).adjust_for).toEqual(['bg_newly_arrived', 'bg_parental_education']);
  });
});
