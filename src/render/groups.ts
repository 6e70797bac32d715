/**
 * How groups are named in every human-readable output (a group's label, its strata as a
 * heading) and the options every renderer takes. Shared by the gap, transition, trend, reference
 * and comparison renderers.
 */
import type { GroupKey, GroupPlan, KeyValue } from '../analysis/groups.js';
import { subjectName } from '../normalise/subject.js';
import { isBackground, type Dimension } from '../types.js';
import type { Painter } from './color.js';
import type { Lang } from './format.js';
import type { Texts } from './labels.js';
import type { TableLayout } from './text-table.js';

export interface RenderOptions {
  lang: Lang;
  paint: Painter;
  excel: boolean;
  matrix: boolean;
  /** Terminal tables: which columns, how wide, where prose wraps (default: every column, nothing wrapped). */
  layout?: TableLayout;
}

/** A report as one string, or as pieces made and written one after the other (big JSON reports). */
export type ReportText = string | Iterable<string>;

export function dimValue(dim: Dimension, value: KeyValue, t: Texts, lang: Lang): string {
  if (value === null) return t.total;
  if (dim === 'subject') return subjectName(String(value), lang);
  if (dim === 'gender') return value === 'girl' ? t.girl : value === 'boy' ? t.boy : String(value);
  if (isBackground(dim)) return value === 'yes' ? t.yes : value === 'no' ? t.no : String(value);
  return String(value);
}

/** A dimension's name as a column heading: the built-in ones' words, a background column's name. */
export function dimName(plan: Pick<GroupPlan, 'names'>, dim: Dimension, t: Texts, lang: Lang): string {
  return isBackground(dim) ? (plan.names.get(dim)?.[lang] ?? dim) : t[dim];
}

/** A group's name in a table: its deepest level's value, indented by depth; gender appended. */
export function keyLabel(plan: GroupPlan, key: GroupKey, t: Texts, lang: Lang, indent = true): string {
  const { levels, gender } = plan;
  let depth = 0;
  let label: string = t.total;
  levels.forEach((dim, index) => {
    const value = key[dim] ?? null;
    if (value !== null) {
      depth = index + 1;
      label = dimValue(dim, value, t, lang);
    }
  });
  if (gender && key.gender !== null && key.gender !== undefined) {
    label = `${label}, ${dimValue('gender', key.gender, t, lang).toLowerCase()}`;
  }
  for (const dim of plan.background) {
    const value = key[dim] ?? null;
    if (value === null) continue;
    const shown = dimValue(dim, value, t, lang);
    label = `${label}, ${dimName(plan, dim, t, lang).toLowerCase()}: ${value === 'yes' || value === 'no' ? shown.toLowerCase() : shown}`;
  }
  return `${indent ? '  '.repeat(depth) : ''}${label}`;
}

/** The strata of a key (year, level, subject) as a heading. */
export function strataTitle(plan: GroupPlan, key: GroupKey, t: Texts, lang: Lang): string {
  const parts: string[] = [];
  for (const dim of plan.strata) {
    const value = key[dim] ?? null;
    if (dim === 'grade_level') parts.push(`${t.level} ${value ?? t.total}`);
    else parts.push(dimValue(dim, value, t, lang));
  }
  return parts.length > 0 ? parts.join(' · ') : t.total;
}
