/**
 * School years (läsår). Every form becomes one label "YYYY/YY" for the läsår that starts in the
 * autumn of YYYY:
 *
 *   2024/25, 2024/2025, 2024-2025, 2024-25, 24/25     → 2024/25
 *   HT24, HT2024, "HT 2024", Hösttermin 2024           → 2024/25 (autumn term)
 *   VT25, VT2025, "VT 2025", Vårtermin 2025            → 2024/25 (spring term)
 *   2025 (a bare calendar year, e.g. Provår)          → 2024/25 (spring term)
 *   2025-06-10, 2024-08-19 (a date, e.g. Excel's date  → 2024/25, spring term (January–June) or
 *   typed into a Läsår column; a time may follow)        autumn term (July–December)
 *
 * A bare year is the spring: national tests and the grades compared with them are set in the
 * spring term. The term is kept where the text says it, because an autumn grade and a spring
 * grade in the same läsår are different grades.
 */
import { UsageError } from '../errors.js';
import { fold } from './text.js';
import { MESSAGES } from '../messages.js';

export type Term = 'HT' | 'VT';

export interface SchoolYear {
  /** "2024/25" */
  label: string;
  /** Calendar year the läsår starts in (2024 for 2024/25). */
  startYear: number;
  /** Term when the text names one (a bare year counts as VT). */
  term: Term | null;
}

const SPAN = /^(\d{2}|\d{4})[/\-–](\d{2}|\d{4})$/;
const TERM = /^(ht|vt|hosttermin|hostterminen|host|vartermin|varterminen|var|h|v)(\d{2}|\d{4})$/;
const BARE = /^(\d{4})$/;
/** An ISO date (as the .xlsx reader writes a date cell), with or without a time of day. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;

function fullYear(text: string): number {
  const value = Number(text);
  return text.length === 2 ? 2000 + value : value;
}

export function schoolYearLabel(startYear: number): string {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/** Parse "2024/25" (our own label) back to its start year. */
export function startYearOf(label: string): number {
  return Number(label.slice(0, 4));
}

function make(startYear: number, term: Term | null): SchoolYear | null {
  if (startYear < 1950 || startYear > 2100) return null;
  return { label: schoolYearLabel(startYear), startYear, term };
}

/** Returns null when the text is not a school year we understand. */
export function normaliseSchoolYear(raw: string): SchoolYear | null {
  const text = raw.trim().replace(/\s+/g, ' ');
  if (text === '') return null;

  // A date: July–December is the autumn term of the läsår that starts that year, January–June the spring term of the one before.
  const date = DATE.exec(text);
  if (date) {
    const [, y = '', m = '', d = ''] = date;
    const year = Number(y);
    const month = Number(m);
    const day = Number(d);
    const real = new Date(Date.UTC(year, month - 1, day));
    if (real.getUTCFullYear() !== year || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day) return null;
    return month >= 7 ? make(year, 'HT') : make(year - 1, 'VT');
  }

  const span = SPAN.exec(text.replace(/\s/g, ''));
  if (span) {
    const [, first = '', second = ''] = span;
    const start = fullYear(first);
    const end = second.length === 2 ? Math.floor(start / 100) * 100 + Number(second) : Number(second);
    // 1999/00: the two-digit end wraps into the next century.
    const endYear = end < start ? end + 100 : end;
    if (endYear !== start + 1) return null;
    return make(start, null);
  }

  const folded = fold(text);
  const term = TERM.exec(folded);
  if (term) {
    const [, word = '', digits = ''] = term;
    const year = fullYear(digits);
    const isAutumn = word.startsWith('h');
    return isAutumn ? make(year, 'HT') : make(year - 1, 'VT');
  }

  const bare = BARE.exec(folded);
  if (bare) return make(Number(bare[1]) - 1, 'VT');
  return null;
}

/**
 * A selection of school years (`--school-years`): inclusive ranges of start years, sorted and
 * merged. `from`/`to` null = open at that end. A term selects its whole läsår.
 */
export interface SchoolYearSelection {
  ranges: readonly { from: number | null; to: number | null }[];
  /** Canonical text, e.g. "..2023/24" or "2020/21,2022/23..2023/24" (recorded in meta). */
  label: string;
}

function selectionYear(text: string, part: string): number {
  const year = normaliseSchoolYear(text);
  if (year === null) throw new UsageError(MESSAGES.notASchoolYear(text.trim() || part.trim()));
  return year.startYear;
}

/** One comma-separated part: a year, `a..b`, `..b`, `a..`, or `a-b` / `a–b`. */
function selectionPart(part: string): { from: number | null; to: number | null } {
  const text = part.trim();
  const dots = text.indexOf('..');
  if (dots >= 0) {
    const left = text.slice(0, dots).trim();
    const right = text.slice(dots + 2).trim();
    if (right.includes('..')) throw new UsageError(MESSAGES.twoRanges(text));
    if (left === '' && right === '') throw new UsageError(MESSAGES.openRange());
    const from = left === '' ? null : selectionYear(left, text);
    const to = right === '' ? null : selectionYear(right, text);
    return { from, to };
  }
  // A part that is one school year is one, also with a dash (2023-24, 2023-2024 are 2023/24).
  const single = normaliseSchoolYear(text);
  if (single) return { from: single.startYear, to: single.startYear };
  // Else a dash between two school years: try each dash; exactly one reading must work.
  const readings = new Map<string, { from: number; to: number }>();
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '-' && text[i] !== '–') continue;
    const from = normaliseSchoolYear(text.slice(0, i));
    const to = normaliseSchoolYear(text.slice(i + 1));
    if (from && to) readings.set(`${from.startYear}:${to.startYear}`, { from: from.startYear, to: to.startYear });
  }
  if (readings.size > 1) throw new UsageError(MESSAGES.ambiguousRange(text));
  const [reading] = readings.values();
  if (!reading) throw new UsageError(MESSAGES.notASchoolYear(text));
  return reading;
}

/**
 * Parse `--school-years`: a comma-separated list of school years and ranges, each end in any
 * form normaliseSchoolYear reads: `2023/24`, `VT24`, `2024` (the spring: 2023/24),
 * `2022/23-2023/24` (or `–`), `2022/23..2023/24`, `..2023/24` (up to and including), `2023/24..`
 * (from). Throws a UsageError naming the part that is not understood.
 */
export function parseSchoolYears(text: string): SchoolYearSelection {
  const parts = text.split(',').filter((part) => part.trim() !== '');
  if (parts.length === 0) throw new UsageError(MESSAGES.noSchoolYears());
  const ranges = parts.map((part) => {
    const range = selectionPart(part);
    if (range.from !== null && range.to !== null && range.from > range.to) {
      throw new UsageError(MESSAGES.emptyRange(part.trim(), schoolYearLabel(range.from), schoolYearLabel(range.to)));
    }
    return range;
  });
  // Sort by start (open start first) and merge overlapping or adjacent ranges.
  ranges.sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity));
  const merged: { from: number | null; to: number | null }[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && (last.to === null || (range.from !== null && range.from <= last.to + 1))) {
      if (last.to !== null && (range.to === null || range.to > last.to)) last.to = range.to;
    } else merged.push({ ...range });
  }
  const label = merged
    .map(({ from, to }) => (from !== null && from === to ? schoolYearLabel(from) : `${from === null ? '' : schoolYearLabel(from)}..${to === null ? '' : schoolYearLabel(to)}`))
    .join(',');
  return { ranges: merged, label };
}

/** Whether the läsår starting in `startYear` is in the selection. */
export function inSchoolYears(selection: SchoolYearSelection, startYear: number): boolean {
  for (const { from, to } of selection.ranges) if ((from === null || startYear >= from) && (to === null || startYear <= to)) return true;
  return false;
}
