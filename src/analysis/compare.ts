/**
 * `--compare-with last-year.json`: what changed against an earlier run's JSON report. Pure: the
 * earlier report's rows and this run's flat rows in, matched groups with before / after / change
 * out.
 *
 * Matching (the README repeats it):
 * - Groups are matched on every `--by` dimension except school_year, plus the group level
 *   (total, area, school, …). Each side uses its own latest school year, so last spring's report
 *   compares with this spring's; a rerun on corrected exports of the same year shows the
 *   corrections.
 * - A group hidden on either side (too few pupils, complementary suppression) shows no figure
 *   on that side and no change; groups found only before or only now are listed as `gone` / `new`.
 * - The change of a share, or of the mean difference, carries a 95 % interval and `up`/`down`/
 *   `stable` as in `trend` (Newcombe from the two years' Wilson intervals; normal approximation
 *   for a mean). Shares change in procentenheter (fractions here).
 */
import type { Dimension } from '../types.js';
import { changeBetween, type ChangeSign, type Estimate } from './trend.js';
import { Z95 } from './fairness.js';

export type FlatRow = Readonly<Record<string, unknown>>;

export interface CompareMetric {
  key: string;
  /** Interval columns, when the report has them. */
  low?: string;
  high?: string;
  scale: 'share' | 'mean';
  /** The interval is Student's t with n − 1 degrees of freedom (mean_diff). */
  t?: boolean;
  /** A standard-error column to build a symmetric 95 % interval from, where the report has one (before low/high). */
  se?: string;
}

export const GAP_COMPARE_METRICS: readonly CompareMetric[] = [
  { key: 'share_higher', low: 'share_higher_ci_low', high: 'share_higher_ci_high', scale: 'share' },
  { key: 'share_same', low: 'share_same_ci_low', high: 'share_same_ci_high', scale: 'share' },
  { key: 'share_lower', low: 'share_lower_ci_low', high: 'share_lower_ci_high', scale: 'share' },
  { key: 'net_gap', scale: 'share' },
  { key: 'mean_diff', low: 'mean_diff_ci_low', high: 'mean_diff_ci_high', scale: 'mean', t: true },
  { key: 'std_gap', low: 'std_gap_ci_low', high: 'std_gap_ci_high', scale: 'mean' },
  { key: 'share_pass_grade', scale: 'share' },
  { key: 'share_pass_test', scale: 'share' },
];

export const TRANSITION_COMPARE_METRICS: readonly CompareMetric[] = [
  { key: 'share_pass_from', scale: 'share' },
  { key: 'share_pass_to', scale: 'share' },
  { key: 'diff_pp', se: 'diff_se', low: 'diff_ci_low', high: 'diff_ci_high', scale: 'mean' },
];

type MatchStatus = 'both' | 'new' | 'gone';

export interface ComparedGroup {
  key: Partial<Record<Dimension, unknown>>;
  level: string;
  status: MatchStatus;
  school_year_before: string | null;
  school_year_after: string | null;
  n_before: number | null;
  n_after: number | null;
  values: Record<string, { before: number | null; after: number | null; change: number | null; low: number | null; high: number | null; sign: ChangeSign | null }>;
  /** transition: the verdicts. */
  verdict_before?: string | null;
  verdict_after?: string | null;
}

export interface Comparison {
  dims: Dimension[];
  /** Rows of the earlier run hidden here: suppressed there, or fewer pupils than this run's --min-group. */
  hidden_before: number;
  /** Keys that occur twice on one side (a file grouped otherwise than it says); the caller refuses these. */
  duplicates: number;
  school_year_before: string | null;
  school_year_after: string | null;
  groups: ComparedGroup[];
  counts: { both: number; new: number; gone: number };
}

function latestYear(rows: readonly FlatRow[]): string | null {
  let latest: string | null = null;
  for (const row of rows) {
    const year = row.school_year;
    if (typeof year === 'string' && (latest === null || year > latest)) latest = year;
  }
  return latest;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function estimate(row: FlatRow, metric: CompareMetric): Estimate | null {
  const value = num(row[metric.key]);
  if (value === null) return null;
  const se = metric.se ? num(row[metric.se]) : null;
  if (se !== null) return { value, low: value - Z95 * se, high: value + Z95 * se, scale: metric.scale };
  const n = num(row.n);
  return {
    value,
    low: metric.low ? num(row[metric.low]) : null,
    high: metric.high ? num(row[metric.high]) : null,
    scale: metric.scale,
    ...(metric.t && n !== null ? { df: n - 1 } : {}),
  };
}

/** A group's identity across runs: its dimensions other than school_year, and its level. */
export function matchKey(dims: readonly Dimension[], row: FlatRow): string {
  return JSON.stringify([...dims.map((dim) => row[dim] ?? null), row.level ?? null]);
}

/**
 * Match `after` (this run) against `before` (the earlier run). `dims` are this run's `--by`
 * dimensions; `byYear` says whether the rows carry school_year.
 */
export function compareRuns(before: readonly FlatRow[], after: readonly FlatRow[], dims: readonly Dimension[], metrics: readonly CompareMetric[], minGroup: number): Comparison {
  const matchDims = dims.filter((dim) => dim !== 'school_year');
  const yearBefore = dims.includes('school_year') ? latestYear(before) : null;
  const yearAfter = dims.includes('school_year') ? latestYear(after) : null;
  /** A hidden row keeps its keys and nothing else: no n, no figure, no verdict. */
  const keysOnly = (row: FlatRow): FlatRow => {
    const out: Record<string, unknown> = { level: row.level ?? null, school_year: row.school_year ?? null, suppressed: true };
    for (const dim of matchDims) out[dim] = row[dim] ?? null;
    return out;
  };
  const keyOf = (row: FlatRow) => matchKey(matchDims, row);
  let duplicates = 0;
  let hiddenBefore = 0;
  const pick = (rows: readonly FlatRow[], year: string | null, hide: (row: FlatRow) => boolean) => {
    const map = new Map<string, FlatRow>();
    for (const row of rows) {
      if (year !== null && row.school_year !== year) continue;
      const id = keyOf(row);
      if (map.has(id)) duplicates++;
      map.set(id, hide(row) ? keysOnly(row) : row);
    }
    return map;
  };
  // The earlier file is data from outside: a row it does not mark hidden is still hidden here when
  // it has fewer pupils than this run's --min-group, so no figure below the minimum is shown.
  const hiddenThere = (row: FlatRow) => {
    const n = num(row.n);
    const hide = row.suppressed === true || n === null || n < minGroup;
    if (hide) hiddenBefore++;
    return hide;
  };
  const old = pick(before, yearBefore, hiddenThere);
  const now = pick(after, yearAfter, (row) => row.suppressed === true);
  const groups: ComparedGroup[] = [];
  const counts = { both: 0, new: 0, gone: 0 };
  const describe = (row: FlatRow | undefined, status: MatchStatus, a: FlatRow | undefined, b: FlatRow | undefined): ComparedGroup => {
    const source = (row ?? {}) as FlatRow;
    const key: Partial<Record<Dimension, unknown>> = {};
    for (const dim of matchDims) key[dim] = source[dim] ?? null;
    const values: ComparedGroup['values'] = {};
    for (const metric of metrics) {
      const e1 = a ? estimate(a, metric) : null;
      const e2 = b ? estimate(b, metric) : null;
      if (e1 && e2) {
        const change = changeBetween(e1, e2);
        const sign: ChangeSign | null = change.low === null || change.high === null ? null : change.low > 0 ? 'up' : change.high < 0 ? 'down' : 'stable';
        values[metric.key] = { before: e1.value, after: e2.value, change: change.change, low: change.low, high: change.high, sign };
      } else values[metric.key] = { before: e1?.value ?? null, after: e2?.value ?? null, change: null, low: null, high: null, sign: null };
    }
    const group: ComparedGroup = {
      key,
      level: String(source.level ?? ''),
      status,
      school_year_before: a ? yearBefore : null,
      school_year_after: b ? yearAfter : null,
      n_before: a ? num(a.n) : null,
      n_after: b ? num(b.n) : null,
      values,
    };
    if ((a && 'verdict' in a) || (b && 'verdict' in b)) {
      group.verdict_before = a ? ((a.verdict as string | null | undefined) ?? null) : null;
      group.verdict_after = b ? ((b.verdict as string | null | undefined) ?? null) : null;
    }
    return group;
  };
  for (const [id, row] of now) {
    const earlier = old.get(id);
    const status: MatchStatus = earlier ? 'both' : 'new';
    counts[status]++;
    groups.push(describe(row, status, earlier, row));
  }
  for (const [id, row] of old) {
    if (now.has(id)) continue;
    counts.gone++;
    groups.push(describe(row, 'gone', row, undefined));
  }
  return { dims: matchDims, hidden_before: hiddenBefore, duplicates, school_year_before: yearBefore, school_year_after: yearAfter, groups, counts };
}
