/**
 * Every shown gap group beside published reference figures (riket, a municipality, similar
 * municipalities: Skolverket's statistics or a hand-typed table, pooled by poolReference), with
 * a verdict: better, worse or in line. Pure: results in, plain figures out.
 *
 * Measures (each only where both sides have it):
 *
 * - share_higher, share_same, share_lower: Skolverket's "Relationen mellan nationella prov och
 *   slutbetyg" (år 9 final grade against test grade). Our år 9 terminsbetyg in spring is the
 *   final grade. Over the group's paired pupils (n).
 * - share_pass_test: share of the group's paired pupils with test grade A–E (Skolverket's NP
 *   "Andel (%) med provbetyg A-E"). GapFigures.share_pass_test is computed over the paired
 *   pupils, so n is the paired n here too.
 * - mean_points_test: mean test-grade points (F=0, E=10 … A=20) of the paired pupils, from the
 *   matrix's column sums (Skolverket's "Genomsnittlig betygspoäng").
 * - share_pass_grade: share of paired pupils with teacher grade A–E (simple layout only).
 *
 * Matching: the same grade level and subject (Skolverket codes on both sides); gender: the
 * group's gender when grouped by gender (girl → F, boy → M), otherwise 'all'; school year: the
 * group's own if the reference has it, else the latest reference year before it, else the
 * earliest after it (the year used is always recorded; this spring's figures are usually not
 * published yet). A group without a school year (school_year not in --by) takes the latest.
 *
 * Verdict, the same significance rule as elsewhere: the group's interval at level 1 − alpha
 * (Wilson for shares, t for mean points); a reference value outside it differs. Direction is
 * `higher`/`lower` (neutral); the verdict says which is better: more pupils passing the test,
 * higher mean points, more grades equal to the test grade and more grades passing are better;
 * fewer grades above or below the test grade (less divergence) are better. A reference that is
 * hidden (`..`), missing (`.`) or rounded (`~100`) gives its status and raw token and no value,
 * difference or verdict: never 0 or 1.
 */
import type { PooledReference, ReferenceGender, ReferenceMetric, ReferenceStatus } from '../normalise/reference-table.js';
import { normaliseSchoolYear } from '../normalise/school-year.js';
import { GRADE_LETTERS, GRADE_POINTS } from '../types.js';
import type { GapFigures, GapGroup, GapResult } from './gap.js';
import type { GroupKey, GroupPlan } from './groups.js';
import { meanConfidenceInterval, wilsonInterval } from './stats.js';

/** The measures a gap group can be compared on, in report order. */
export const COMPARED_METRICS = ['share_higher', 'share_same', 'share_lower', 'share_pass_test', 'mean_points_test', 'share_pass_grade'] as const satisfies readonly ReferenceMetric[];
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** Which direction is better, per measure. */
const BETTER_WHEN: Readonly<Record<ComparedMetric, 'higher' | 'lower'>> = {
  share_higher: 'lower',
  share_same: 'higher',
  share_lower: 'lower',
  share_pass_test: 'higher',
  mean_points_test: 'higher',
  share_pass_grade: 'higher',
};

type ReferenceDirection = 'higher' | 'lower' | 'in_line';
type ReferenceVerdict = 'better' | 'worse' | 'in_line';
/** Which reference year was used: the group's own, an earlier, a later one, or the latest (group without a year). */
export type YearMatch = 'same' | 'earlier' | 'later' | 'latest';

/** A pooled reference value, optionally with the file it came from. */
export type SourcedReference = PooledReference & { file?: string };

export interface ReferenceRow {
  key: GroupKey;
  level: GapGroup['level'];
  /** The group's paired pupils. */
  n: number;
  metric: ComparedMetric;
  /** The group's own figure: a fraction for shares, grade points for mean_points_test. */
  own: number;
  /** The group's interval at level 1 − alpha (null when it cannot be computed, e.g. mean of 1 pupil). */
  own_ci_low: number | null;
  own_ci_high: number | null;
  /** Null unless reference_status is 'ok'. */
  reference: number | null;
  reference_status: ReferenceStatus;
  /** The token as written (`..`, `.`, `~100`) when the status is not 'ok'. */
  reference_raw: string | null;
  reference_n: number | null;
  reference_units: number;
  reference_excluded_units: number;
  /** Pooled units whose `~100` was counted as (n − 2,5)/n. */
  reference_rounded_units: number;
  reference_label: string;
  reference_file: string | null;
  reference_school_year: string;
  reference_gender: ReferenceGender;
  year_match: YearMatch;
  /** The group's school year minus the reference's, in years (7: a 2024/25 group against 2017/18); null without a group year. */
  reference_years_apart: number | null;
  /** own − reference (fraction for shares, grade points for mean points); null without a reference value. */
  difference: number | null;
  direction: ReferenceDirection | null;
  verdict: ReferenceVerdict | null;
}

export interface ReferenceComparison {
  plan: GroupPlan;
  alpha: number;
  rows: ReferenceRow[];
  /** The measures that occur in rows, in report order. */
  metrics: ComparedMetric[];
  /** Shown groups that have no reference for any measure (another grade level or subject, gender groups against a table without genders). */
  unmatched_groups: number;
}

/**
 * A reference this many school years or more from the group's year is far: this spring's figures
 * are published in the autumn, so the usual distance is one year; from two on, changes in grading
 * and in the tests themselves weigh in (år 9 mathematics grades above the test grade: about 40 %
 * in 2019 in municipal schools, 24 % in 2022/23 in all schools; see DOMAIN.md).
 */
export const FAR_YEARS = 2;

export interface FarYear {
  school_year: string;
  reference_school_year: string;
  /** Group year minus reference year (negative: the reference is later). */
  years_apart: number;
  file: string | null;
  /** The rows (group × measure) compared across this distance. */
  rows: number;
}

function yearsApart(groupYear: string | null, referenceYear: string): number | null {
  if (groupYear === null) return null;
  const group = normaliseSchoolYear(groupYear);
  const reference = normaliseSchoolYear(referenceYear);
  return group === null || reference === null ? null : group.startYear - reference.startYear;
}

function isCompared(metric: ReferenceMetric): metric is ComparedMetric {
  return (COMPARED_METRICS as readonly string[]).includes(metric);
}

function matchKey(gradeLevel: unknown, subject: unknown, gender: ReferenceGender, metric: string): string {
  return [String(gradeLevel), String(subject), gender, metric].join('\u0001');
}

function genderOf(plan: GroupPlan, key: GroupKey): ReferenceGender {
  if (!plan.gender) return 'all';
  const value = key.gender;
  if (value === 'girl') return 'F';
  if (value === 'boy') return 'M';
  return 'all';
}

/**
 * The reference year for a group's year: the same, else the latest before, else the earliest after.
 * @internal (also used by tests)
 */
export function chooseYear(available: readonly string[], year: string | null): { year: string; match: YearMatch } | null {
  const sorted = [...new Set(available)].sort();
  if (sorted.length === 0) return null;
  if (year === null) return { year: sorted[sorted.length - 1] as string, match: 'latest' };
  if (sorted.includes(year)) return { year, match: 'same' };
  const before = sorted.filter((y) => y < year);
  if (before.length > 0) return { year: before[before.length - 1] as string, match: 'earlier' };
  return { year: sorted[0] as string, match: 'later' };
}

interface OwnFigure {
  value: number;
  low: number | null;
  high: number | null;
}

/** The group's figure and its interval at `level`, from its A–F × A–F matrix. */
function ownFigure(metric: ComparedMetric, f: GapFigures, n: number, level: number): OwnFigure {
  const cell = (g: number, t: number) => f.matrix[GRADE_LETTERS[g] ?? 'F'][GRADE_LETTERS[t] ?? 'F'];
  if (metric === 'mean_points_test') {
    let sum = 0;
    const columns: number[] = [];
    for (let t = 0; t < 6; t++) {
      let column = 0;
      for (let g = 0; g < 6; g++) column += cell(g, t);
      columns.push(column);
      sum += column * (GRADE_POINTS[t] ?? 0);
    }
    const mean = sum / n;
    let squares = 0;
    columns.forEach((count, t) => {
      const d = (GRADE_POINTS[t] ?? 0) - mean;
      squares += count * d * d;
    });
    const sd = n > 1 ? Math.sqrt(squares / (n - 1)) : NaN;
    const ci = n > 1 ? meanConfidenceInterval(n, mean, sd, level) : { low: NaN, high: NaN };
    return { value: mean, low: Number.isFinite(ci.low) ? ci.low : null, high: Number.isFinite(ci.high) ? ci.high : null };
  }
  let successes = 0;
  for (let g = 0; g < 6; g++) {
    for (let t = 0; t < 6; t++) {
      const hit =
        metric === 'share_higher' ? g > t : metric === 'share_same' ? g === t : metric === 'share_lower' ? g < t : metric === 'share_pass_test' ? t >= 1 : g >= 1;
      if (hit) successes += cell(g, t);
    }
  }
  const ci = wilsonInterval(successes, n, level);
  return { value: successes / n, low: ci.low, high: ci.high };
}

export function compareWithReference(result: GapResult, pooled: readonly SourcedReference[], options: { alpha: number }): ReferenceComparison {
  const { plan } = result;
  const level = 1 - options.alpha;
  const index = new Map<string, Map<string, SourcedReference>>();
  for (const value of pooled) {
    if (!isCompared(value.metric) || value.subject === null) continue;
    const key = matchKey(value.grade_level, value.subject, value.gender, value.metric);
    let years = index.get(key);
    if (!years) index.set(key, (years = new Map()));
    if (!years.has(value.school_year)) years.set(value.school_year, value); // the first file given wins
  }

  const rows: ReferenceRow[] = [];
  const seen = new Set<ComparedMetric>();
  let unmatched = 0;
  for (const group of result.groups) {
    const f = group.figures;
    if (group.suppressed !== null || f === null || group.n <= 0) continue;
    // Published figures have no background: the pupils of one background value are not compared with them.
    if (plan.background.some((dim) => group.key[dim] !== null && group.key[dim] !== undefined)) {
      unmatched++;
      continue;
    }
    const gender = genderOf(plan, group.key);
    const year = group.key.school_year === undefined || group.key.school_year === null ? null : String(group.key.school_year);
    let matched = false;
    for (const metric of COMPARED_METRICS) {
      const years = index.get(matchKey(group.key.grade_level ?? null, group.key.subject ?? null, gender, metric));
      if (!years) continue;
      const chosen = chooseYear([...years.keys()], year);
      const ref = chosen ? years.get(chosen.year) : undefined;
      if (!chosen || !ref) continue;
      matched = true;
      seen.add(metric);
      const own = ownFigure(metric, f, group.n, level);
      const ok = ref.status === 'ok' && ref.value !== null;
      const reference = ok ? ref.value : null;
      let direction: ReferenceDirection | null = null;
      if (reference !== null && own.low !== null && own.high !== null) {
        direction = reference < own.low ? 'higher' : reference > own.high ? 'lower' : 'in_line';
      }
      const verdict: ReferenceVerdict | null = direction === null ? null : direction === 'in_line' ? 'in_line' : direction === BETTER_WHEN[metric] ? 'better' : 'worse';
      rows.push({
        key: group.key,
        level: group.level,
        n: group.n,
        metric,
        own: own.value,
        own_ci_low: own.low,
        own_ci_high: own.high,
        reference,
        reference_status: ok ? 'ok' : ref.status === 'ok' ? 'missing' : ref.status,
        reference_raw: ok ? null : (ref.raw ?? null),
        reference_n: ref.n,
        reference_units: ref.units,
        reference_excluded_units: ref.excluded_units,
        reference_rounded_units: ref.rounded_units,
        reference_label: ref.label,
        reference_file: ref.file ?? null,
        reference_school_year: chosen.year,
        reference_gender: gender,
        year_match: chosen.match,
        reference_years_apart: yearsApart(year, chosen.year),
        difference: reference === null ? null : own.value - reference,
        direction,
        verdict,
      });
    }
    if (!matched) unmatched++;
  }
  return { plan, alpha: options.alpha, rows, metrics: COMPARED_METRICS.filter((metric) => seen.has(metric)), unmatched_groups: unmatched };
}

/** Group years judged against a reference FAR_YEARS or more school years away, once per file and pair of years, in order. */
export function farYears(rows: readonly ReferenceRow[]): FarYear[] {
  const out = new Map<string, FarYear>();
  for (const row of rows) {
    const apart = row.reference_years_apart;
    if (apart === null || Math.abs(apart) < FAR_YEARS) continue;
    const schoolYear = String(row.key.school_year);
    const id = [schoolYear, row.reference_school_year, row.reference_file ?? ''].join('\u0001');
    const known = out.get(id);
    if (known) known.rows++;
    else out.set(id, { school_year: schoolYear, reference_school_year: row.reference_school_year, years_apart: apart, file: row.reference_file, rows: 1 });
  }
  return [...out.values()].sort((a, b) => (a.school_year < b.school_year ? -1 : a.school_year > b.school_year ? 1 : a.reference_school_year < b.reference_school_year ? -1 : 1));
}
