/**
 * `report --school NAME` and `report --per-school DIR`: one school's analysis sheet, or one per
 * school from one read of the exports. What this module adds to the board report's run:
 *
 * - which schools there are, and which one `--school` names (case-, space- and
 *   diacritic-insensitive, like other names; an unknown name lists the closest);
 * - (in school-transition.ts: the år 5 → 6 transition attributed the other way, protected);
 * - the school's cases to follow up (--list-cases), ids masked within each document;
 * - safe, deterministic file names for --per-school.
 */
import type { TransitionRecord } from '../analysis/transition.js';
import type { GroupKey } from '../analysis/groups.js';
import { listCases } from '../analysis/gap.js';
import type { GapRecord } from '../analysis/pairs.js';
import { MISSING_VALUE } from '../analysis/pairs.js';
import { UsageError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { fold } from '../normalise/text.js';
import type { SchoolGapCase, SchoolTransitionCase } from '../render/school-doc.js';
import { maskPupils } from './shared.js';

const collator = new Intl.Collator('sv', { numeric: true });

function byName(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Every school with pupils in any of the analyses, in Swedish order ("(saknas)", no school, is none). */
export function schoolsIn(groups: readonly { level: string; key: GroupKey; n: number }[]): string[] {
  const names = new Set<string>();
  for (const group of groups) {
    const school = group.key.school;
    if (group.level === 'school' && group.n > 0 && typeof school === 'string' && school !== MISSING_VALUE) names.add(school);
  }
  return [...names].sort(byName);
}

/** Edit distance (Levenshtein), for the closest names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The school `--school` names: matched as other names are (case, spaces, punctuation and
 * diacritics ignored); an exact spelling wins over others that fold alike. An unknown or
 * ambiguous name is a UsageError (exit 2) naming the closest schools.
 */
export function resolveSchool(given: string, schools: readonly string[]): string {
  const wanted = fold(given);
  const matches = schools.filter((school) => fold(school) === wanted);
  if (matches.length === 1 && matches[0] !== undefined) return matches[0];
  const exact = matches.find((school) => school.trim() === given.trim());
  if (exact !== undefined) return exact;
  if (matches.length > 1) throw new UsageError(MESSAGES.schoolAmbiguous(given, matches));
  // Closest first: a name containing what was typed (or contained in it), then by edit distance.
  const ranked = schools
    .map((school) => {
      const name = fold(school);
      const contains = wanted !== '' && (name.includes(wanted) || wanted.includes(name));
      return { school, score: contains ? 0 : distance(wanted, name) };
    })
    .filter((entry) => entry.score <= Math.max(3, Math.floor(wanted.length / 3)))
    .sort((a, b) => a.score - b.score || byName(a.school, b.school));
  throw new UsageError(MESSAGES.schoolUnknown(given, ranked.slice(0, 5).map((entry) => entry.school), schools.slice(0, 10), schools.length));
}

/** Windows' device names: never a file name, whatever the extension. */
const RESERVED = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$/;

/** Letters that Unicode does not decompose into a base letter and a mark. */
const SPELLED: Readonly<Record<string, string>> = { æ: 'ae', ø: 'o', ß: 'ss', œ: 'oe', þ: 'th', ð: 'd', đ: 'd', ł: 'l', ı: 'i' };

/** A school's name as a file name: ASCII letters, digits and hyphens only (so no path, no hidden file), at most 80 characters. */
function slug(name: string): string {
  const plain = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[æøßœþðđłı]/g, (c) => SPELLED[c] ?? '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  if (plain === '') return 'skola';
  return RESERVED.test(plain) ? `${plain}-skola` : plain;
}

/**
 * One file name per school (`ekbackens-skola.html`): deterministic, unique (a name that two
 * schools would share gets -2, -3 … in Swedish name order, never a name another school has of
 * its own) and safe in any folder on any system.
 */
export function schoolFileNames(schools: readonly string[], extension: string): Map<string, string> {
  const sorted = [...schools].sort(byName);
  const natural = sorted.map(slug);
  const own = new Set(natural);
  const used = new Set<string>();
  const names = new Map<string, string>();
  sorted.forEach((school, index) => {
    const base = natural[index] ?? 'skola';
    let name = base;
    for (let k = 2; used.has(name); k++) {
      name = `${base}-${k}`;
      if (own.has(name)) name = base; // another school's own name: try the next number
    }
    used.add(name);
    names.set(school, `${name}.${extension}`);
  });
  return names;
}

/**
 * The school's cases (--list-cases), ids masked once across both lists so that one pupil has one
 * number in the document: grade and test two steps apart or more (teacher names left out), and
 * linked pupils who passed on one side and not on the other, where the pupil was at the school on
 * either side.
 */
export function schoolCases(
  school: string,
  divergent: readonly GapRecord[],
  primary: readonly TransitionRecord[],
  other: readonly TransitionRecord[],
  attributeTo: 'from' | 'to',
): { gap: SchoolGapCase[]; transition: SchoolTransitionCase[] } {
  const gap = listCases(divergent.filter((record) => record.school === school)).map((c) => ({
    pupil: c.pupil,
    school_year: c.school_year,
    grade_level: c.grade_level ?? MISSING_VALUE,
    class: c.class,
    subject: c.subject,
    grade: c.grade,
    test: c.test,
    diff_steps: c.diff_steps,
  }));
  const transition: SchoolTransitionCase[] = [];
  primary.forEach((record, i) => {
    const mate = other[i];
    if (!mate || record.status !== 'linked' || record.fromPass === null || record.toPass === null || record.fromPass === record.toPass) return;
    const from = attributeTo === 'from' ? record : mate;
    const to = attributeTo === 'from' ? mate : record;
    const atFrom = from.school === school;
    const atTo = to.school === school;
    if (!atFrom && !atTo) return;
    transition.push({
      pupil: record.pupil,
      school_year: record.school_year,
      subject: record.subject,
      class: atFrom ? from.class : to.class,
      fromPass: record.fromPass,
      toPass: record.toPass,
      here: atFrom && atTo ? 'both' : atFrom ? 'from' : 'to',
    });
  });
  const order = ['school_year', 'class', 'subject', 'pupil'] as const;
  transition.sort((a, b) => {
    for (const field of order) {
      const c = collator.compare(a[field], b[field]);
      if (c !== 0) return c;
    }
    return 0;
  });
  const masked = maskPupils<{ pupil: string }>([...gap, ...transition], false);
  return {
    gap: gap.map((c, i) => ({ ...c, pupil: masked[i]?.pupil ?? '' })),
    transition: transition.map((c, i) => ({ ...c, pupil: masked[gap.length + i]?.pupil ?? '' })),
  };
}
