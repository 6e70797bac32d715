/**
 * School years (läsår). Every form becomes one label "YYYY/YY" for the läsår that starts in the
 * autumn of YYYY:
 *
 *   2024/25, 2024/2025, 2024-2025, 2024-25, 24/25     → 2024/25
 *   HT24, HT2024, "HT 2024", Hösttermin 2024           → 2024/25 (autumn term)
 *   VT25, VT2025, "VT 2025", Vårtermin 2025            → 2024/25 (spring term)
 *   2025 (a bare calendar year, e.g. Provår)          → 2024/25 (spring term)
 *
 * A bare year is the spring: national tests and the grades compared with them are set in the
 * spring term. The term is kept where the text says it, because an autumn grade and a spring
 * grade in the same läsår are different grades.
 */
import { fold } from './text.js';

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
