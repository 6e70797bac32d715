/**
 * Grouping with totals. `--by` names dimensions; they play three roles:
 *
 * - strata: school_year, grade_level, subject. A figure always refers to one year, one level
 *   and one subject, so these are never added together.
 * - gender: every group is shown for girls and boys and for both together.
 * - background columns (`bg_…`, normalise/background.ts): like gender, every group is shown for
 *   each value (yes, no, a category, `(saknas)`, `(okänd)`) and for all together, crossed with
 *   gender and with each other.
 * - levels: the rest (area, school, class, teacher), rolled up in the order given: a total over
 *   everything (the municipality), then the first level, then the first two, and so on.
 *
 * A dimension that is totalled over is `null` in the group's key.
 */
import type { Message } from '../messages.js';
import { OTHER_VALUE } from '../normalise/background.js';
import { isBackground, type BackgroundDimension, type Dimension, type Gender } from '../types.js';

const STRATA: readonly Dimension[] = ['school_year', 'grade_level', 'subject'];

export interface GroupPlan {
  by: readonly Dimension[];
  strata: Dimension[];
  levels: Dimension[];
  gender: boolean;
  /** Background dimensions in --by order, each crossed like gender. */
  background: BackgroundDimension[];
  /** What each background dimension is called (its header or usual name), for people. */
  names: ReadonlyMap<BackgroundDimension, Message>;
}

export function planGroups(by: readonly Dimension[], names: ReadonlyMap<BackgroundDimension, Message> = new Map()): GroupPlan {
  const unique = [...new Set(by)];
  return {
    by: unique,
    strata: unique.filter((dim) => STRATA.includes(dim)),
    levels: unique.filter((dim) => !STRATA.includes(dim) && dim !== 'gender' && !isBackground(dim)),
    gender: unique.includes('gender'),
    background: unique.filter(isBackground),
    names,
  };
}

/** Shown for a background value the rows of one pupil and school year disagree on. */
export const UNKNOWN_VALUE = '(okänd)';

export type KeyValue = string | number | null;
export type GroupKey = Partial<Record<Dimension, KeyValue>>;

/** What a pupil's record says about the groups it belongs to (gap and transition records). */
export interface GroupAttributes {
  school_year: string;
  grade_level: number | string;
  area: string;
  school: string;
  class: string;
  subject: string;
  gender: Gender | string;
  teacher: string;
  /** Background values (`bg_…`), where the record carries them. */
  readonly [background: BackgroundDimension]: string;
}


/** The strata a pupil can have more than one result in within one group: gap's, and transition's (a pupil is in --from's year once). */
export type PupilStratum = 'school_year' | 'grade_level' | 'subject';
export const GAP_PUPIL_STRATA: readonly PupilStratum[] = ['school_year', 'grade_level', 'subject'];
export const TRANSITION_PUPIL_STRATA: readonly PupilStratum[] = ['subject'];

/**
 * How many results one pupil can have in one group: 1 when every one of `strata` is in --by (a
 * group's n is then its pupils); else the number of combinations of those left out that the cells
 * hold. The minimum group size is multiplied by it, so a group shown has at least --min-group
 * pupils even when n counts results (a review found 4 pupils × 3 subjects shown as 12 with
 * --min-group 10).
 */
export function resultsPerPupil(plan: GroupPlan, cells: readonly { dims: Readonly<Record<Dimension, KeyValue>> }[], strata: readonly PupilStratum[]): number {
  const pooled = strata.filter((dim) => !plan.strata.includes(dim));
  if (pooled.length === 0) return 1;
  const combos = new Set<string>();
  for (const cell of cells) combos.add(pooled.map((dim) => String(cell.dims[dim])).join('\u0001'));
  return Math.max(1, combos.size);
}
/** The group attributes of any record that carries all of them (gap and transition records), and the background ones asked for. */
export function dimsOf(record: Readonly<Record<Dimension, KeyValue>>, background: readonly BackgroundDimension[] = []): Record<Dimension, KeyValue> {
  const dims: Record<Dimension, KeyValue> = {
    school_year: record.school_year,
    grade_level: record.grade_level,
    area: record.area,
    school: record.school,
    class: record.class,
    subject: record.subject,
    gender: record.gender,
    teacher: record.teacher,
  };
  for (const dim of background) dims[dim] = record[dim] ?? null;
  return dims;
}

/** Every group a record belongs to: (levels prefix) × (gender or both) × (each background value or all). */
export function groupKeysOf(plan: GroupPlan, record: Readonly<Record<Dimension, KeyValue>>): GroupKey[] {
  const keys: GroupKey[] = [];
  const crossed: Dimension[] = plan.gender ? ['gender', ...plan.background] : plan.background;
  for (let depth = 0; depth <= plan.levels.length; depth++) {
    const base: GroupKey = {};
    for (const dim of plan.strata) base[dim] = record[dim];
    plan.levels.forEach((dim, index) => {
      base[dim] = index < depth ? record[dim] : null;
    });
    // Each crossed dimension: all together first, then the record's own value.
    let combined: GroupKey[] = [base];
    for (const dim of crossed) combined = combined.flatMap((key) => [{ ...key, [dim]: null }, { ...key, [dim]: record[dim] ?? null }]);
    keys.push(...combined);
  }
  return keys;
}

/** Texts in code-unit order (ids, keys): the same order on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The group's values in --by order, joined by U+0001 (U+0000 for a dimension totalled over): its id. */
export function keyString(plan: GroupPlan, key: GroupKey): string {
  const by = plan.by;
  let id = '';
  for (let i = 0; i < by.length; i++) {
    const value = key[by[i] as Dimension];
    if (i > 0) id += '\u0001';
    id += value === null || value === undefined ? '\u0000' : String(value);
  }
  return id;
}

/**
 * The groups a group is part of, one per way of totalling it: its last level removed, and its
 * gender removed. Used for complementary suppression.
 */
export function parentKeys(plan: GroupPlan, key: GroupKey): { parent: GroupKey; via: Dimension }[] {
  const parents: { parent: GroupKey; via: Dimension }[] = [];
  for (let index = plan.levels.length - 1; index >= 0; index--) {
    const dim = plan.levels[index];
    if (dim === undefined) continue;
    if (key[dim] !== null && key[dim] !== undefined) {
      parents.push({ parent: { ...key, [dim]: null }, via: dim });
      break;
    }
  }
  if (plan.gender && key.gender !== null && key.gender !== undefined) parents.push({ parent: { ...key, gender: null }, via: 'gender' });
  for (const dim of plan.background) if (key[dim] !== null && key[dim] !== undefined) parents.push({ parent: { ...key, [dim]: null }, via: dim });
  return parents;
}

/** The municipality total for the group's stratum (all levels, gender and background totalled). */
export function totalKey(plan: GroupPlan, key: GroupKey): GroupKey {
  const total: GroupKey = { ...key };
  for (const dim of plan.levels) total[dim] = null;
  if (plan.gender) total.gender = null;
  for (const dim of plan.background) total[dim] = null;
  return total;
}

/** The deepest dimension the group is broken down by, or 'total'. */
export function groupLevel(plan: GroupPlan, key: GroupKey): Dimension | 'total' {
  let level: Dimension | 'total' = 'total';
  for (const dim of plan.levels) if (key[dim] !== null && key[dim] !== undefined) level = dim;
  return level;
}

const collator = new Intl.Collator('sv', { numeric: true });

/** A background value's place: yes, no, the categories, the rare ones pooled, then `(saknas)` and `(okänd)`. */
function backgroundRank(value: string | number): number {
  return value === 'yes' ? 0 : value === 'no' ? 1 : value === OTHER_VALUE ? 2.5 : value === '(saknas)' ? 3 : value === UNKNOWN_VALUE ? 4 : 2;
}

/**
 * Sort groups in report order: strata, then levels, then gender, then background (each in `--by`
 * order), totals before their members, values in Swedish collation (numbers numerically; a
 * background's yes and no first, its pooled rare categories, `(saknas)` and `(okänd)` last). Each dimension's distinct
 * values are ranked once, so the collator is not called per comparison.
 */
export function sortGroups<G extends { key: GroupKey }>(plan: GroupPlan, groups: G[]): G[] {
  const order: Dimension[] = [...plan.strata, ...plan.levels, ...(plan.gender ? (['gender'] as const) : []), ...plan.background];
  const ranks = order.map((dim) => {
    const values = [...new Set(groups.map((group) => group.key[dim] ?? null))].filter((value): value is string | number => value !== null);
    const background = isBackground(dim);
    values.sort((a, b) => (background ? backgroundRank(a) - backgroundRank(b) : 0) || (typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b))));
    return new Map<string | number, number>(values.map((value, index) => [value, index]));
  });
  const keyed = groups.map((group) => ({ group, ranks: order.map((dim, i) => { const value = group.key[dim] ?? null; return value === null ? -1 : (ranks[i]?.get(value) ?? 0); }) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.ranks.length; i++) {
      const d = (a.ranks[i] ?? 0) - (b.ranks[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  return keyed.map(({ group }) => group);
}
