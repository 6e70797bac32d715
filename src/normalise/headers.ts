/**
 * Header recognition: which column holds which field. Headers are folded (case, spaces,
 * punctuation and diacritics ignored) and looked up in an alias table; a config file can add
 * exact header names per field (one, or a list when exports name the field differently).
 */
import { fold } from './text.js';

export const FIELDS = [
  'student_id',
  'school',
  'area',
  'class',
  'grade_level',
  'school_year',
  'subject',
  'gender',
  'teacher',
  'grade',
  'test',
  'assessment',
  'kind',
  'value',
] as const;
export type Field = (typeof FIELDS)[number];

/** Aliases per field, written as people write them; folded before lookup. */
export const HEADER_ALIASES: Readonly<Record<Field, readonly string[]>> = {
  student_id: [
    'student_id', 'studentid', 'Personnummer', 'Personnr', 'Pnr', 'Elev-ID', 'Elevid', 'Elev id',
    'Elevens personnummer', 'Elevpersonnummer', 'Elev personnummer', 'Samordningsnummer', 'Id', 'Elev', 'pupil_id', 'student',
  ],
  school: ['school', 'Skola', 'Skolenhet', 'Skolenhetsnamn', 'Skolnamn', 'Enhet', 'school_name', 'school_unit'],
  area: ['area', 'Skolområde', 'Område', 'Rektorsområde', 'Skolomrade', 'school_area', 'district'],
  class: ['class', 'Klass', 'Klassnamn', 'Grupp', 'class_name'],
  grade_level: ['grade_level', 'Årskurs', 'Åk', 'Ak', 'Arskurs', 'Årskurs (åk)', 'year_group', 'grade level'],
  school_year: ['school_year', 'Läsår', 'Provår', 'Termin', 'År', 'Betygstermin', 'Provtermin', 'Läsår/termin', 'academic_year', 'year'],
  subject: ['subject', 'Ämne', 'Ämnesnamn', 'Ämneskod', 'Kurs', 'subject_code', 'subject_name'],
  gender: ['gender', 'Kön', 'Kon', 'sex'],
  teacher: ['teacher', 'Lärare', 'Betygssättande lärare', 'Ansvarig lärare', 'Undervisande lärare', 'teacher_name'],
  grade: ['grade', 'Betyg', 'Terminsbetyg', 'Slutbetyg', 'Ämnesbetyg', 'teacher_grade', 'term_grade', 'final_grade'],
  test: ['test', 'Provbetyg', 'Resultat nationellt prov', 'Nationellt prov', 'NP', 'NP-betyg', 'Provresultat', 'test_grade', 'national_test'],
  assessment: ['assessment', 'Bedömning', 'Omdöme', 'Kunskapsbedömning', 'Kunskapsnivå', 'Bedömning (omdöme)'],
  kind: ['kind', 'Typ', 'Resultattyp', 'Bedömningstyp', 'Betygstyp', 'type', 'result_type'],
  value: ['result', 'value', 'Resultat', 'Värde', 'Betyg/resultat'],
};

const ALIAS_INDEX: ReadonlyMap<string, Field> = (() => {
  const index = new Map<string, Field>();
  for (const field of FIELDS) {
    for (const alias of HEADER_ALIASES[field]) index.set(fold(alias), field);
  }
  return index;
})();

function isPersonnummerHeader(folded: string): boolean {
  return /personnummer|personnr|pnr|samordningsnummer/.test(folded);
}

export interface ColumnMapping {
  /** Column index per recognised field. */
  columns: Partial<Record<Field, number>>;
  /** Headers that matched no field (kept for `inspect`). */
  unmatched: string[];
  /** Headers that matched a field already taken by an earlier column. */
  duplicates: { header: string; field: Field }[];
}

/**
 * Map a header row to fields. `overrides` (from the config file) names the exact header per
 * field, or a list of headers, and wins over the alias table. Every header in a list maps to
 * its field; a file that has more than one of them uses the first in the list's order (the
 * others are reported as duplicates).
 */
export function mapHeaders(headers: readonly string[], overrides: Partial<Record<Field, string | readonly string[]>> = {}): ColumnMapping {
  const columns: Partial<Record<Field, number>> = {};
  const unmatched: string[] = [];
  const duplicates: { header: string; field: Field }[] = [];
  const folded = headers.map(fold);

  const overridden = new Set<number>();
  for (const field of FIELDS) {
    const wanted = overrides[field];
    if (wanted === undefined) continue;
    for (const name of typeof wanted === 'string' ? [wanted] : wanted) {
      const index = folded.indexOf(fold(name));
      if (index < 0) continue;
      const taken = columns[field];
      if (taken === undefined) columns[field] = index;
      else if (taken !== index && !overridden.has(index)) duplicates.push({ header: headers[index] ?? '', field });
      overridden.add(index);
    }
  }
  folded.forEach((key, index) => {
    if (overridden.has(index)) return;
    const header = headers[index] ?? '';
    const field = ALIAS_INDEX.get(key);
    if (field === undefined) {
      if (header.trim() !== '') unmatched.push(header);
      return;
    }
    const taken = columns[field];
    if (taken !== undefined) {
      // A personnummer links a pupil across systems; a local pupil number does not: prefer it.
      if (field === 'student_id' && !overridden.has(taken) && isPersonnummerHeader(key) && !isPersonnummerHeader(folded[taken] ?? '')) {
        duplicates.push({ header: headers[taken] ?? '', field });
        columns[field] = index;
        return;
      }
      duplicates.push({ header, field });
      return;
    }
    columns[field] = index;
  });
  return { columns, unmatched, duplicates };
}
