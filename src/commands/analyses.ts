/**
 * The analyses `trend` and `report` run together from one read of the exports: the gap pairs
 * and the transition links are both made from the store before it is let go.
 */
import { pairGradesWithTests } from '../analysis/pairs.js';
import { linkTransition, type LinkOptions, type TransitionRecord } from '../analysis/transition.js';
import { genderResolver } from '../normalise/ingest.js';
import type { ResultStore } from '../normalise/store.js';
import type { Dimension } from '../types.js';
import { parseBy } from './shared.js';

export interface Prepared {
  cells: ReturnType<typeof pairGradesWithTests>['cells'];
  gapCoverage: Record<string, number>;
  records: TransitionRecord[];
  transitionCoverage: Record<string, number>;
}

/** Pair and link everything the analyses need; the store can be freed afterwards. */
export function prepare(store: ResultStore, link: LinkOptions): Prepared {
  const genderOf = genderResolver(store);
  const pairing = pairGradesWithTests(store, genderOf);
  const linking = linkTransition(store, link, genderOf);
  return { cells: pairing.cells, gapCoverage: { ...pairing.coverage }, records: linking.records, transitionCoverage: { ...linking.coverage } };
}

/** Both analyses' row coverage in one record (their keys differ but for the conflicts left out). */
export function mergeCoverage(gap: Record<string, number>, transition: Record<string, number>): Record<string, number> {
  const merged: Record<string, number> = { ...gap };
  for (const [key, count] of Object.entries(transition)) merged[key === 'conflict_left_out' ? 'transition_conflict_left_out' : key] = count;
  return merged;
}

/** `--by` for trend: school_year is added first; a series is every other dimension. */
export function trendBy(value: string | undefined, fallback: readonly Dimension[]): { gapBy: Dimension[]; transitionBy: Dimension[] } {
  const by = parseBy(value, fallback).filter((dim) => dim !== 'school_year');
  const gapBy: Dimension[] = ['school_year', ...by];
  const transitionBy: Dimension[] = ['school_year', ...by.filter((dim) => dim !== 'grade_level' && dim !== 'teacher')];
  return { gapBy, transitionBy };
}
