/**
 * The public row shape of the gap report, shared by JSON and CSV. Documented in docs/utdata.md:
 * it is a contract for people's spreadsheets and scripts. A suppressed figure is null.
 */
import type { GapFigures, GapGroup, GapResult, GradeMatrix } from '../analysis/gap.js';
import type { KeyValue } from '../analysis/groups.js';
import type { Dimension } from '../types.js';

export const GAP_FIGURE_KEYS = [
  'n_grade_only',
  'n_test_only',
  'share_higher',
  'share_higher_ci_low',
  'share_higher_ci_high',
  'share_same',
  'share_same_ci_low',
  'share_same_ci_high',
  'share_lower',
  'share_lower_ci_low',
  'share_lower_ci_high',
  'net_gap',
  'mean_diff',
  'mean_diff_ci_low',
  'mean_diff_ci_high',
  'mean_diff_steps',
  'mean_diff_steps_ci_low',
  'mean_diff_steps_ci_high',
  'share_pass_grade',
  'share_pass_test',
  'kappa_w',
  'vs_total_p',
  'vs_total',
  'vs_total_p_adj',
  'gender_gap',
  'gender_gap_ci_low',
  'gender_gap_ci_high',
  'gender_gap_steps',
  'gender_gap_steps_ci_low',
  'gender_gap_steps_ci_high',
  'standard',
  'std_n',
  'expected_share_higher',
  'expected_share_lower',
  'expected_mean_diff',
  'excess_share_higher',
  'excess_share_higher_ci_low',
  'excess_share_higher_ci_high',
  'excess_share_lower',
  'excess_share_lower_ci_low',
  'excess_share_lower_ci_high',
  'std_gap',
  'std_gap_ci_low',
  'std_gap_ci_high',
  'std_gap_steps',
  'std_gap_steps_ci_low',
  'std_gap_steps_ci_high',
  'funnel_scale',
  'funnel_z',
  'funnel_limit_95',
  'funnel_limit_998',
  'funnel_flag',
  'funnel_p',
  'p_adj',
  'funnel_z_chance',
  'funnel_limit_95_chance',
  'funnel_limit_998_chance',
  'funnel_flag_chance',
  'funnel_tau',
  'marginal_stat',
  'marginal_df',
  'marginal_p',
  'std_gap_shrunk',
] as const satisfies readonly (keyof GapFigures)[];

/**
 * The background-adjusted figures (with a background column in --by, or --adjust-for), after the
 * others; a report without background adjustment has none of these keys.
 */
export const GAP_ADJUSTED_KEYS = [
  'adjusted_for',
  'std_n_adjusted',
  'expected_mean_diff_adjusted',
  'std_gap_adjusted',
  'std_gap_adjusted_ci_low',
  'std_gap_adjusted_ci_high',
  'std_gap_adjusted_steps',
  'std_gap_adjusted_steps_ci_low',
  'std_gap_adjusted_steps_ci_high',
] as const satisfies readonly (keyof GapFigures)[];

/** A report's figure keys, in order: GAP_FIGURE_KEYS, and the adjusted ones where it adjusts for background. */
export function gapFigureKeys(result: Pick<GapResult, 'options'>): readonly ((typeof GAP_FIGURE_KEYS)[number] | (typeof GAP_ADJUSTED_KEYS)[number])[] {
  return (result.options.adjustFor ?? []).length > 0 ? [...GAP_FIGURE_KEYS, ...GAP_ADJUSTED_KEYS] : GAP_FIGURE_KEYS;
}

export type GapFlatRow = Partial<Record<Dimension, KeyValue>> & {
  level: string;
  n: number | null;
  suppressed: boolean;
  suppressed_reason: string | null;
  matrix: GradeMatrix | null;
  diff_steps: Record<string, number> | null;
} & { [K in (typeof GAP_FIGURE_KEYS)[number]]: GapFigures[K] | null } & { [K in (typeof GAP_ADJUSTED_KEYS)[number]]?: GapFigures[K] | null };

function flattenGroup(result: GapResult, group: GapGroup): GapFlatRow {
  const keys: Partial<Record<Dimension, KeyValue>> = {};
  for (const dim of result.plan.by) keys[dim] = group.key[dim] ?? null;
  const figures = group.figures;
  const row = {
    ...keys,
    level: group.level,
    n: group.suppressed ? null : group.n,
  } as GapFlatRow;
  for (const key of gapFigureKeys(result)) {
    (row as Record<string, unknown>)[key] = figures ? figures[key] : null;
  }
  row.suppressed = group.suppressed !== null;
  row.suppressed_reason = group.suppressed;
  row.matrix = figures ? figures.matrix : null;
  row.diff_steps = figures ? figures.diff_steps : null;
  return row;
}

export function flattenGap(result: GapResult): GapFlatRow[] {
  return result.groups.map((group) => flattenGroup(result, group));
}
