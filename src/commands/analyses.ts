/**
 * The analyses `trend` and `report` run together from one read of the exports: the gap pairs
 * and the transition links are both made from the store before it is let go.
 */
import { analyseGap, type GapResult } from '../analysis/gap.js';
import { pairGradesWithTests } from '../analysis/pairs.js';
import { gapTrend, transitionTrend, type TrendPart, type TrendResult } from '../analysis/trend.js';
import { analyseTransitionCells, linkTransition, linkTransitionCells, type LinkOptions, type TransitionCell, type TransitionRecord, type TransitionResult } from '../analysis/transition.js';
import { genderResolver } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import type { SuppressionMode } from '../analysis/suppression.js';
import { DIMENSIONS, type BackgroundDimension, type Dimension } from '../types.js';
import type { Message } from '../messages.js';
import type { FlagScale } from '../analysis/fairness.js';

export interface Prepared {
  cells: ReturnType<typeof pairGradesWithTests>['cells'];
  gapCoverage: Record<string, number>;
  /** The transition links counted into cells by every dimension (and the background ones asked for). */
  transitionCells: TransitionCell[];
  /** One record per link: made only when asked for (report's school sheets), else empty. */
  records: TransitionRecord[];
  transitionCoverage: Record<string, number>;
}

/**
 * Pair and link everything the analyses need (with `background`: those background dimensions
 * too; with `records`: one record per transition link as well); the store can be freed afterwards.
 */
export function prepare(store: ResultStore, link: LinkOptions, background: readonly BackgroundDimension[] = [], records = false): Prepared {
  const genderOf = genderResolver(store);
  const pairing = background.length > 0 ? pairGradesWithTests(store, genderOf, new Set<Dimension>([...DIMENSIONS, ...background])) : pairGradesWithTests(store, genderOf);
  const linking = linkTransitionCells(store, link, genderOf, [...DIMENSIONS, ...background]);
  return {
    cells: pairing.cells,
    gapCoverage: { ...pairing.coverage },
    transitionCells: linking.cells,
    records: records ? linkTransition(store, link, genderOf, background).records : [],
    transitionCoverage: { ...linking.coverage },
  };
}

/** Both analyses' row coverage in one record (their keys differ but for the conflicts left out). */
export function mergeCoverage(gap: Record<string, number>, transition: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...gap };
  for (const [key, count] of Object.entries(transition)) merged[key === 'conflict_left_out' ? 'transition_conflict_left_out' : key] = count;
  return merged;
}

/** `--by` for trend: school_year is added first; a series is every other dimension. */
export function trendBy(given: readonly Dimension[] | undefined, fallback: readonly Dimension[]): { gapBy: Dimension[]; transitionBy: Dimension[] } {
  const by = (given ?? fallback).filter((dim) => dim !== 'school_year');
  const gapBy: Dimension[] = ['school_year', ...by];
  const transitionBy: Dimension[] = ['school_year', ...by.filter((dim) => dim !== 'grade_level' && dim !== 'teacher')];
  return { gapBy, transitionBy };
}

export interface CycleSettings {
  gapBy: readonly Dimension[];
  transitionBy: readonly Dimension[];
  minGroup: number;
  /** `small_groups_only` (--small-groups-only): no complementary hiding. Default `full`. */
  suppression?: SuppressionMode;
  alpha: number;
  minStreak: number;
  /** An earlier gap JSON's tables as the grading standard (gap --reference FILE.json). */
  standard?: ReadonlyMap<string, Float64Array>;
  /** --flag-scale. */
  flagScale: FlagScale;
  /** What the background dimensions in the groupings are called. */
  names?: ReadonlyMap<BackgroundDimension, Message>;
}

/** gap and transition grouped by school year, and the trends over them. */
export function analyseCycle(prepared: Prepared, settings: CycleSettings): { gap: GapResult; transition: TransitionResult; trend: TrendResult & { gap: TrendPart } } {
  const { gapBy, transitionBy, minGroup, alpha, minStreak, standard, flagScale } = settings;
  const suppression = settings.suppression ?? 'full';
  const names = settings.names ? { names: settings.names } : {};
  const gap = analyseGap(prepared.cells, { by: gapBy, minGroup, suppression, alpha, flagScale, ...(standard ? { reference: standard } : {}), ...names });
  const transition = analyseTransitionCells(prepared.transitionCells, { by: transitionBy, minGroup, suppression, alpha, ...names });
  const trend = {
    options: { minStreak },
    gap: gapTrend(gap),
    transition: prepared.transitionCells.length > 0 ? transitionTrend(transition) : null,
  };
  return { gap, transition, trend };
}

/** The --from/--to/kinds/attribution part of meta.parameters (transition, trend, report). */
export function linkParameters(link: LinkOptions): Record<string, unknown> {
  return { from: link.fromLevel, to: link.toLevel, from_kind: link.fromKind, to_kind: link.toKind, attribute_to: link.attributeTo };
}

/** meta.parameters of trend and report: the groupings, the link and the thresholds. */
export function cycleParameters(settings: CycleSettings, link: LinkOptions): Record<string, unknown> {
  return {
    by: settings.gapBy,
    transition_by: settings.transitionBy,
    ...linkParameters(link),
    min_group: settings.minGroup,
    suppression: settings.suppression ?? 'full',
    alpha: settings.alpha,
    streak: settings.minStreak,
    flag_scale: settings.flagScale,
  };
}
