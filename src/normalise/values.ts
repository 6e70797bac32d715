/**
 * Cell values: grades, grade levels, gender, result kinds.
 */
import type { Gender, GradeStep, ResultKind } from '../types.js';
import { fold } from './text.js';

export type GradeParse =
  | { status: 'grade'; step: GradeStep }
  /** Streck (`-`, `–`) or a blank cell: no grade could be set. Counted, not an error. */
  | { status: 'none' }
  | { status: 'invalid'; reason: 'old_scale' | 'not_a_grade' };

const STEP_BY_LETTER: Readonly<Record<string, GradeStep>> = { f: 0, e: 1, d: 2, c: 3, b: 4, a: 5 };
const STRECK = new Set(['-', '–', '—', '−', '_']);
const OLD_SCALE = new Set(['ig', 'g', 'vg', 'mvg', 'u']);

/** A–F, case- and space-insensitive. */
export function normaliseGrade(raw: string): GradeParse {
  const text = raw.trim();
  if (text === '' || STRECK.has(text)) return { status: 'none' };
  const key = text.replace(/\s+/g, '').toLowerCase();
  const step = STEP_BY_LETTER[key];
  if (step !== undefined) return { status: 'grade', step };
  if (OLD_SCALE.has(key)) return { status: 'invalid', reason: 'old_scale' };
  return { status: 'invalid', reason: 'not_a_grade' };
}

/**
 * Grade level (årskurs) 1–9 from "6", "Åk 6", "år 6", "åk6", "Årskurs 9", or a class name that
 * starts with the level ("6B"). Returns null when no level can be read.
 */
export function normaliseGradeLevel(raw: string): number | null {
  // "-1" is not år 1 (fold would drop the sign).
  if (/^\s*[-−–]/.test(raw)) return null;
  const match = /^(?:ak|ar|arskurs|year|grade|klass)?(\d{1,2})/.exec(fold(raw));
  if (!match) return null;
  const level = Number(match[1]);
  return level >= 1 && level <= 9 ? level : null;
}

const GIRL = new Set(['f', 'flicka', 'flickor', 'k', 'kvinna', 'kvinnor', 'girl', 'female', 'tjej', '2']);
const BOY = new Set(['p', 'pojke', 'pojkar', 'm', 'man', 'men', 'boy', 'male', 'kille', '1']);

/** Returns null for blank or anything else (unknown gender is not a reason to drop a result). */
export function normaliseGender(raw: string): Gender | null {
  const key = fold(raw);
  if (GIRL.has(key)) return 'girl';
  if (BOY.has(key)) return 'boy';
  return null;
}

const KIND_ALIASES: Readonly<Record<string, ResultKind>> = {
  terminsbetyg: 'grade',
  betyg: 'grade',
  slutbetyg: 'grade',
  amnesbetyg: 'grade',
  tb: 'grade',
  sb: 'grade',
  grade: 'grade',
  termgrade: 'grade',
  finalgrade: 'grade',
  provbetyg: 'test',
  np: 'test',
  nationelltprov: 'test',
  nationellaprov: 'test',
  resultatnationelltprov: 'test',
  prov: 'test',
  test: 'test',
  testgrade: 'test',
  nationaltest: 'test',
  bedomning: 'assessment',
  omdome: 'assessment',
  kunskapsbedomning: 'assessment',
  assessment: 'assessment',
};

/** The kind column of a long-format export. Extra names come from the config file. */
export function normaliseKind(raw: string, extra: ReadonlyMap<string, ResultKind> = new Map()): ResultKind | null {
  const key = fold(raw);
  return extra.get(key) ?? KIND_ALIASES[key] ?? null;
}
