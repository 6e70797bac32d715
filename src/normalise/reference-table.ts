/**
 * Reference figures as Skolverket publishes them, and as a leader types them in by hand.
 *
 * Three of Skolverket's CSV exports ("Statistik från Skolverket", skolverket.se) are read as they
 * are downloaded, at school (Skolnivå) or municipality (Kommun) level:
 *
 * - `skolverket_relation`: "Relationen mellan nationella prov och slutbetyg årskurs 9": per
 *   subject, the number of pupils with both grades and the shares (%) with a lower, the same or a
 *   higher final grade than the test grade;
 * - `skolverket_np`: "Resultat nationella prov årskurs 9, provbetyg per kön": per subject (column
 *   Ämne) and gender, the number of pupils with a test grade A–F, the share with A–E, the mean
 *   test-grade points (0–20) and the share who took part;
 * - `skolverket_grades6`: "Betyg årskurs 6, andel som fått godkänt betyg (A-E), per kön": per
 *   gender, the shares passing all subjects, failing one, failing several.
 *
 * The format: banner lines (the "Statistik från Skolverket" line, the title, "Valt läsår: 2023/24",
 * explanatory text), then the header row (the first line starting "Skola", "Kommun", "Län",
 * "Riket" or "Huvudman"), with a category row just above it in the per-gender tables ("Antal
 * elever med provbetyg A-F" over "Totalt;Flickor;Pojkar"), then one row per unit, then a footer
 * of definitions. `;`, decimal comma, thousands written with a space (`9 593`), a trailing `;`.
 * The column order changed between years, so every column is found by its header text
 * (case-, space- and diacritic-insensitive), never by position. The title gives the årskurs,
 * "Valt läsår" the school year. Tokens: `..` = too few pupils (status `too_few`), `.` = missing
 * (`missing`), `~100` = rounded because 1–4 pupils failed (`rounded`): none of them is ever a
 * number, so `..` and `.` never become 0 and `~100` never becomes 100 % — with one exception
 * that is arithmetic, not a guess: in the relation table a `.` share whose siblings add up to
 * 100 % is 0 % (see impliedZeros). Shares become fractions
 * (73,9 → 0.739); mean points stay as written. `n` is the number of pupils behind a value when
 * the table says (the matching "antal elever" column for that subject and gender); the share who
 * took part has no denominator in the table, so its `n` is null.
 *
 * The simple layout (`simple`) is for figures typed in by hand: a CSV (`;`, `,` or tab) whose
 * first line names the columns `subject`, `grade_level`, `school_year` (or ämne, årskurs, läsår)
 * and at least one metric (share_higher, share_same, share_lower, share_pass_test,
 * mean_points_test, share_pass_grade, share_participated, or andel_högre, andel_lika,
 * andel_lägre), optionally `unit` (enhet; default "Referens"), `unit_code`, `municipality`,
 * `provider`, `gender` (kön: all/Totalt, F/Flickor/girls, M/Pojkar/boys) and `n` (antal). A
 * share column is read as percent when any value in it has `%` or is above 1, otherwise as
 * fractions.
 *
 * Lines that look like data but cannot be used go to `skipped` with the reason; banner, footer
 * and blank lines are not data. The units end where the footer of definitions starts (see
 * parseSkolverket), so a footer that Excel padded with ";" to the header's width is not read as
 * units; codes that Excel turned into numbers get their leading zeros back (`180` → `0180`), and
 * both are reported in `repairs`. Text above the header that is not the title, "Valt läsår" or
 * one of Skolverket's standard explanations is kept in `remarks` and passed on to the user (in
 * 2017/18: that test parts had been accessible beforehand).
 *
 * Pooling (`poolReference`), one reference value per school year, årskurs, subject, gender and
 * measure:
 *
 * - `unit` picks the rows whose unit name, unit code, municipality name or municipality code is
 *   the text given (case-, space- and diacritic-insensitive, otherwise exact), so "Ale" in a
 *   school-level file picks all of Ale's schools, and "0180" picks Stockholm. A comma-separated
 *   list ("Ale, Alingsås, 1490": similar municipalities) picks the rows of each and pools them;
 *   every item must match (unless the whole text is itself one unit's name). "Stureskolan,
 *   Arboga" is the school of that name in that municipality; "Stureskolan" alone, a name that
 *   schools in two municipalities carry, is refused with the candidates. Without `unit`, or with
 *   `Riket`: the nation's rows when the file has them, otherwise every row in the file (called
 *   Riket only when the file covers all 290 municipalities). A `unit` that matches nothing is an
 *   error that names a few units that do exist. The rules are in analysis/reference-select.ts.
 * - `provider` (Typ av huvudman) picks Samtliga, Kommunal or Enskild. Without it: only the
 *   Samtliga rows when the file has any (the municipality tables list Samtliga, Kommunal and
 *   Enskild for each municipality, and pooling all three would count every pupil twice),
 *   otherwise all rows.
 * - Several units are pooled as a mean weighted by their number of pupils (n). A unit whose
 *   value is `..` or `.`, or whose n is not given, is left out and counted in `excluded_units`.
 *   A `~100` unit with n ≥ 5 is pooled at (n − 2,5)/n, the middle of what `~100` allows (1–4
 *   pupils below E), and counted in `rounded_units`: leaving the best units out would pull the
 *   pooled share down. A single unit is taken as it is (its `..`/`.`/`~100` included). When nothing
 *   can be pooled the result is `too_few` if every unit was `..`, `rounded` if every unit was
 *   `~100`, otherwise `missing`.
 */
import { InputError } from '../errors.js';
import { MESSAGES, type Message } from '../messages.js';
import type { TextRecord, TextTable } from '../read/records.js';
import { normaliseSchoolYear } from './school-year.js';
import { normaliseSubject } from './subject.js';
import { fold, tidy } from './text.js';

export type ReferenceMetric =
  | 'share_higher'
  | 'share_same'
  | 'share_lower'
  | 'share_pass_test'
  | 'mean_points_test'
  | 'share_participated'
  | 'share_pass_grade'
  | 'share_pass_all_subjects'
  | 'share_fail_one_subject'
  | 'share_fail_several_subjects';

export type ReferenceStatus = 'ok' | 'too_few' | 'missing' | 'rounded';

export type ReferenceGender = 'all' | 'F' | 'M';

export interface ReferenceValue {
  unit: string;
  unit_code: string | null;
  unit_kind: 'nation' | 'municipality' | 'school' | 'other';
  municipality: string | null;
  municipality_code: string | null;
  provider: string | null;
  school_year: string;
  grade_level: number;
  subject: string | null;
  gender: ReferenceGender;
  metric: ReferenceMetric;
  value: number | null;
  status: ReferenceStatus;
  raw: string;
  n: number | null;
  line: number;
  /** Relation table only: a `.` share that is 0 % by arithmetic (see impliedZeros). */
  implied_zero?: boolean;
}

export type ReferenceLayout = 'skolverket_relation' | 'skolverket_np' | 'skolverket_grades6' | 'simple';

export interface ReferenceTable {
  file: string;
  layout: ReferenceLayout;
  title: string | null;
  school_year: string | null;
  publisher: 'skolverket' | null;
  values: ReferenceValue[];
  skipped: { line: number; reason: Message }[];
  /** Things the reader decided that the user should see (simple layout: shares read as fractions). */
  notes?: Message[];
  /**
   * Skolverket's own remarks above the header, passed on verbatim (one paragraph each): what the
   * reader does not act on itself, e.g. 2017/18's "Under vårterminen 2018 fanns indikationer på att
   * vissa av de nationella delproven … hade varit åtkomliga på förhand …". The standard lines
   * about `.` and the 15-pupil limit are left out (see STANDARD_PREAMBLE).
   */
  remarks?: string[];
  /** What the reader mended in a file re-saved by Excel (see parseSkolverket). */
  repairs?: ReferenceRepairs;
}

/** A Skolverket file re-saved by Excel: codes that lost their leading zeros, blank lines among the units. */
interface ReferenceRepairs {
  /** Rows whose kommun-, län- or skolenhetskod was given its leading zeros back (`180` → `0180`). */
  padded_codes: number;
  /** The first of them, as an example for the message. */
  padded_example: { line: number; from: string; to: string } | null;
  /** Blank lines (`;;;;` as Excel writes an empty row) between unit rows: skipped, never units. */
  blank_lines_in_data: number;
  /** Their line numbers (at most 10). */
  blank_line_numbers: number[];
}

export interface PooledReference {
  school_year: string;
  grade_level: number;
  subject: string | null;
  gender: ReferenceGender;
  metric: ReferenceMetric;
  value: number | null;
  status: ReferenceStatus;
  raw: string | null;
  n: number | null;
  units: number;
  excluded_units: number;
  /** Units pooled with `~100` counted as (n − 2,5)/n (1–4 pupils below E: the middle of the possible range). */
  rounded_units: number;
  label: string;
}

export interface ReferenceSelection {
  unit?: string;
  provider?: string;
}

/** The shares `~100` can stand for ("1–4 pupils did not pass"). */
export const PASS_SHARES: ReadonlySet<ReferenceMetric> = new Set(['share_pass_test', 'share_pass_all_subjects', 'share_pass_grade']);

/** Every measure, in report order. */
export const REFERENCE_METRICS: readonly ReferenceMetric[] = [
  'share_higher',
  'share_same',
  'share_lower',
  'share_pass_test',
  'mean_points_test',
  'share_participated',
  'share_pass_grade',
  'share_pass_all_subjects',
  'share_fail_one_subject',
  'share_fail_several_subjects',
];

export const GENDER_ORDER: readonly ReferenceGender[] = ['all', 'F', 'M'];

function isShare(metric: ReferenceMetric): boolean {
  return metric !== 'mean_points_test';
}

// ---------------------------------------------------------------------------------------------
// Records, cells, tokens

/** A record's cells (none for a blank line). */
function cellsOf(rows: readonly TextRecord[], index: number): string[] {
  return rows[index]?.fields ?? [];
}

/** A record's physical line in the file. */
function lineOf(rows: readonly TextRecord[], index: number): number {
  return rows[index]?.line ?? index + 1;
}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

function dropTrailingEmpty(cells: string[]): string[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] ?? '').trim() === '') end--;
  return cells.slice(0, end);
}

/** A row fits the header when it has the header's fields, plus only empty ones after them. */
function fieldProblem(cells: readonly string[], width: number): Message | null {
  if (cells.length >= width && cells.slice(width).every((cell) => cell.trim() === '')) return null;
  return MESSAGES.referenceLine.fieldCount(cells.length, width);
}

/** "9 593", "73,9", "0.5" → a plain decimal string ("9593", "73.9", "0.5"); null when not a number. */
function decimalText(text: string): string | null {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^[-+]?\d+(\.\d+)?$/.test(compact) || /^[-+]?\.\d+$/.test(compact) ? compact : null;
}

type Token =
  | { status: 'ok'; decimal: string; raw: string }
  | { status: 'too_few' | 'missing' | 'rounded'; raw: string };

/** The tokens of Skolverket's tables; null when the text is none of them and not a number. */
function readToken(cell: string, allowPercent: boolean): Token | null {
  const raw = cell.trim();
  if (raw === '..') return { status: 'too_few', raw };
  if (raw === '.' || raw === '') return { status: 'missing', raw };
  if (/^~\s*\d/.test(raw)) return { status: 'rounded', raw };
  const decimal = decimalText(allowPercent ? raw.replace(/%$/, '') : raw);
  return decimal === null ? null : { status: 'ok', decimal, raw };
}

/** Exact decimal shift: "73.9" → 0.739 (the nearest double, no 0.7390000000000001). */
function percentToFraction(decimal: string): number {
  return Number(`${decimal}e-2`);
}

/** Pupil counts: "9 593" → 9593; `..`, `.` and empty → null; undefined when not a count. */
function readCount(cell: string): number | null | undefined {
  const raw = cell.trim();
  if (raw === '' || raw === '.' || raw === '..') return null;
  const decimal = decimalText(raw);
  if (decimal === null || !/^\+?\d+$/.test(decimal)) return undefined;
  return Number(decimal);
}

/** A read value outside its measure's range (a share outside 0–100 %, mean points outside 0–20). */
function outOfRange(metric: ReferenceMetric, value: number): boolean {
  return isShare(metric) ? value < 0 || value > 1 : value < 0 || value > 20;
}

const NATION_NAMES = new Set(['riket', 'helariket', 'samtligakommuner', 'sverige', 'helasverige', 'helalandet']);

/** "Riket", "Hela riket", "Sverige" (any case, spacing or diacritics). */
export function isNationName(name: string): boolean {
  return NATION_NAMES.has(fold(name));
}

function quote(text: string): string {
  return `"${text.length > 70 ? `${text.slice(0, 67)}…` : text}"`;
}

// ---------------------------------------------------------------------------------------------
// Skolverket's exports

type Role =
  | { kind: 'unit' | 'unit_code' | 'municipality' | 'municipality_code' | 'provider' | 'subject' | 'ignored' }
  | { kind: 'n'; subject: string | null; gender: ReferenceGender }
  | { kind: 'metric'; metric: ReferenceMetric; subject: string | null; gender: ReferenceGender };

const UNIT_HEADS = new Set(['skola', 'skolenhet', 'kommun', 'lan', 'riket', 'huvudman']);
const GENDER_WORDS: Readonly<Record<string, ReferenceGender>> = { totalt: 'all', samtliga: 'all', alla: 'all', flickor: 'F', pojkar: 'M' };

/** The measure a header text names (folded, subject and gender removed); 'n' for pupil counts. */
function measureOf(key: string): ReferenceMetric | 'n' | null {
  if (key.includes('hogreslutbetyg')) return 'share_higher';
  if (key.includes('likaslutbetyg')) return 'share_same';
  if (key.includes('lagreslutbetyg')) return 'share_lower';
  if (key.startsWith('antalelever')) return 'n';
  if (key.includes('andelmedprovbetygae') || key.includes('andelelevermedprovbetygae')) return 'share_pass_test';
  if (key.includes('genomsnittligbetygspoang')) return 'mean_points_test';
  if (key.includes('deltagit')) return 'share_participated';
  if (key.includes('ejfattgodkant') || key.includes('ejgodkant')) return key.includes('ettamne') ? 'share_fail_one_subject' : 'share_fail_several_subjects';
  if (key.includes('fattgodkantbetygiallaamnen')) return 'share_pass_all_subjects';
  return null;
}

function classify(file: string, line: number, index: number, firstHead: string, category: string, column: string): Role {
  const head = fold(column);
  if (category === '') {
    if (index === 0) return { kind: 'unit' };
    if (head === 'skolenhetskod' || head === 'skolenhetkod') return { kind: 'unit_code' };
    if (head === 'kommunkod') return { kind: firstHead === 'kommun' ? 'unit_code' : 'municipality_code' };
    if (head === 'skolkommun' || head === 'kommun') return { kind: 'municipality' };
    if (head === 'lanskod' && firstHead === 'lan') return { kind: 'unit_code' };
    if (head === 'typavhuvudman') return { kind: 'provider' };
    if (head === 'amne') return { kind: 'subject' };
  }
  let gender: ReferenceGender = 'all';
  let subject: string | null = null;
  const rest: string[] = [];
  for (const part of [category, column]) {
    if (part === '') continue;
    const word = GENDER_WORDS[fold(part)];
    if (word !== undefined) {
      gender = word;
      continue;
    }
    // "Svenska som andraspråk, andel (%) elever med …": the subject before the first comma.
    const comma = part.indexOf(',');
    const named = comma > 0 ? normaliseSubject(part.slice(0, comma)) : null;
    if (named !== null) {
      subject = named;
      rest.push(part.slice(comma + 1));
    } else rest.push(part);
  }
  const measure = measureOf(fold(rest.join(' ')));
  if (measure === null) return { kind: 'ignored' };
  if (measure === 'n') return { kind: 'n', subject, gender };
  if ((measure === 'share_higher' || measure === 'share_same' || measure === 'share_lower') && subject === null) {
    const comma = column.indexOf(',');
    if (comma > 0) throw new InputError(MESSAGES.referenceColumnSubject(`${file}:${line}`, quote(column), quote(tidy(column.slice(0, comma)))));
  }
  return { kind: 'metric', metric: measure, subject, gender };
}

function gradeLevelOf(title: string | null): number | null {
  if (title === null) return null;
  const match = /(?:årskurs|arskurs|åk|ak)\s*(\d{1,2})\b/i.exec(title);
  return match ? Number(match[1]) : null;
}

interface HeaderAt {
  index: number;
}

function findSkolverketHeader(rows: readonly TextRecord[]): HeaderAt | null {
  for (let index = 0; index < rows.length; index++) {
    const cells = cellsOf(rows, index);
    if (cells.length >= 3 && UNIT_HEADS.has(fold(cells[0] ?? ''))) return { index };
  }
  return null;
}

function parseSkolverket(file: string, rows: readonly TextRecord[], header: HeaderAt, banner: boolean): ReferenceTable {
  const { index: headerIndex } = header;
  const headerLine = lineOf(rows, headerIndex);
  const columns = dropTrailingEmpty(cellsOf(rows, headerIndex)).map(tidy);
  const width = columns.length;
  const firstHead = fold(columns[0] ?? '');

  // The category row just above the header ("Flickor;Flickor;…", "Antal elever med provbetyg A-F;…").
  let categoryIndex = -1;
  const categories: string[] = new Array<string>(width).fill('');
  if (headerIndex > 0) {
    const above = cellsOf(rows, headerIndex - 1);
    if (above.length >= 2 && !isBlank(above)) {
      categoryIndex = headerIndex - 1;
      let current = '';
      for (let i = 0; i < width; i++) {
        const cell = tidy(above[i] ?? '');
        if (cell !== '') current = cell;
        categories[i] = current; // a category written once over several columns covers them all
      }
    }
  }

  // Preamble: the title, "Valt läsår", and Skolverket's remarks (paragraphs of text).
  let title: string | null = null;
  let schoolYear: string | null = null;
  const paragraphs: string[][] = [];
  let paragraph: string[] = [];
  const endParagraph = (): void => {
    if (paragraph.length > 0) paragraphs.push(paragraph);
    paragraph = [];
  };
  for (let i = 0; i < headerIndex; i++) {
    if (i === categoryIndex) continue;
    const text = tidy(cellsOf(rows, i).filter((cell) => cell.trim() !== '').join(' '));
    if (text === '') {
      endParagraph();
      continue;
    }
    const key = fold(text);
    if (key.startsWith('statistikfranskolverket')) continue;
    if (key.startsWith('valtlasar')) {
      const given = text.slice(text.indexOf(':') + 1);
      const parsed = normaliseSchoolYear(given);
      if (parsed === null) throw new InputError(MESSAGES.referenceYearUnreadable(`${file}:${lineOf(rows, i)}`, quote(text)));
      schoolYear = parsed.label;
      endParagraph();
      continue;
    }
    if (title === null) {
      title = text;
      continue;
    }
    paragraph.push(text);
  }
  endParagraph();
  const remarks = paragraphs.flatMap((lines) => {
    const remark = remarkOf(lines);
    return remark === null ? [] : [remark];
  });

  const roles = columns.map((column, i) => classify(file, headerLine, i, firstHead, categories[i] ?? '', column));
  const metrics = new Set(roles.flatMap((role) => (role.kind === 'metric' ? [role.metric] : [])));
  const subjectColumn = roles.findIndex((role) => role.kind === 'subject');
  let layout: ReferenceLayout;
  if (metrics.has('share_higher') || metrics.has('share_same') || metrics.has('share_lower')) layout = 'skolverket_relation';
  else if (metrics.has('share_pass_test') || metrics.has('mean_points_test')) layout = 'skolverket_np';
  else if (metrics.has('share_pass_all_subjects') || metrics.has('share_fail_one_subject')) layout = 'skolverket_grades6';
  else throw new InputError(MESSAGES.referenceNoKnownFigures(`${file}:${headerLine}`));

  if (schoolYear === null) {
    throw new InputError(MESSAGES.referenceNoYearLine(file, headerLine));
  }
  const gradeLevel = gradeLevelOf(title) ?? (layout === 'skolverket_relation' ? 9 : null);
  if (gradeLevel === null) {
    throw new InputError(MESSAGES.referenceNoGradeLevel(file, title === null ? null : quote(title)));
  }

  const countColumns = new Map<string, number>();
  roles.forEach((role, i) => {
    if (role.kind === 'n') countColumns.set(`${role.subject ?? ''}|${role.gender}`, i);
  });
  const indexOf = (kind: Role['kind']): number => roles.findIndex((role) => role.kind === kind);
  const unitColumn = indexOf('unit');
  const codeColumn = indexOf('unit_code');
  const municipalityColumn = indexOf('municipality');
  const municipalityCodeColumn = indexOf('municipality_code');
  const providerColumn = indexOf('provider');
  const kindOfFile: ReferenceValue['unit_kind'] =
    firstHead === 'skola' || firstHead === 'skolenhet' ? 'school' : firstHead === 'kommun' ? 'municipality' : firstHead === 'riket' ? 'nation' : 'other';

  const values: ReferenceValue[] = [];
  const skipped: { line: number; reason: Message }[] = [];
  const cell = (cells: readonly string[], i: number): string => (i < 0 ? '' : tidy(cells[i] ?? ''));
  const orNull = (text: string): string | null => (text === '' || text === '.' || text === '..' ? null : text);
  const figureColumns = roles.flatMap((role, i) => (role.kind === 'n' || role.kind === 'metric' ? [i] : []));
  const hasFigures = (cells: readonly string[]): boolean => figureColumns.some((i) => (cells[i] ?? '').trim() !== '');

  // Excel drops leading zeros when it re-saves the file ("0180" → 180): each code gets them back
  // to its width. Kommun-kod is 4 digits, Läns-kod 2; a skolenhetskod 8 when the file's codes are
  // (every one of the 1 502 in the 2023/24 school file is).
  const dataRows = rows.slice(headerIndex + 1);
  const schoolCodes = codeColumn >= 0 && kindOfFile === 'school' && dataRows.some((row) => /^\d{8}$/.test(cell(row.fields, codeColumn)));
  const codeWidth = (column: number): number | null => {
    if (column < 0) return null;
    const role = roles[column]?.kind;
    const head = fold(columns[column] ?? '');
    if (head === 'kommunkod') return 4;
    if (head === 'lanskod') return 2;
    return role === 'unit_code' && schoolCodes ? 8 : null;
  };
  const widths = { unit: codeWidth(codeColumn), municipality: codeWidth(municipalityCodeColumn) };
  const repairs: ReferenceRepairs = { padded_codes: 0, padded_example: null, blank_lines_in_data: 0, blank_line_numbers: [] };
  const padded = (text: string, width: number | null, line: number, counted: { done: boolean }): string => {
    if (width === null || !/^\d+$/.test(text) || text.length >= width) return text;
    const full = text.padStart(width, '0');
    if (!counted.done) {
      counted.done = true;
      repairs.padded_codes++;
      repairs.padded_example ??= { line, from: text, to: full };
    }
    return full;
  };

  // The units run from the header to the footer of definitions. The footer starts at
  // "Rapportbeskrivning…", at a line of text not shaped like a row, or at the first line after a
  // blank one that is no unit row (a unit row has a name and figures): nothing after it is read,
  // so a footer that Excel padded with ";;;;" to the header's width is never taken for units.
  // Blank lines between unit rows (an emptied row in Excel: ";;;;") are skipped and counted.
  let blanks: number[] = [];
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const line = lineOf(rows, i);
    const cells = cellsOf(rows, i);
    if (isBlank(cells)) {
      blanks.push(line);
      continue;
    }
    const first = tidy(cells[0] ?? '');
    if (fold(first).startsWith('rapportbeskrivning')) break;
    const problem = fieldProblem(cells, width);
    if (blanks.length > 0) {
      if (problem !== null || first === '' || !hasFigures(cells)) break; // the footer
      repairs.blank_lines_in_data += blanks.length;
      repairs.blank_line_numbers.push(...blanks.slice(0, Math.max(0, 10 - repairs.blank_line_numbers.length)));
      blanks = [];
    }
    if (problem !== null) {
      if (first !== '' && cells.length > 1) {
        skipped.push({ line, reason: problem });
        continue;
      }
      break; // text not shaped like a row: the footer
    }
    if (first === '') {
      skipped.push({ line, reason: MESSAGES.referenceLine.noUnitName(quote(columns[unitColumn] ?? '')) });
      continue;
    }
    if (!hasFigures(cells)) {
      skipped.push({ line, reason: MESSAGES.referenceLine.noFigures() });
      continue;
    }

    const counted = { done: false };
    const unit = cell(cells, unitColumn);
    const unitCode = orNull(padded(cell(cells, codeColumn), widths.unit, line, counted));
    const unitKind = isNationName(unit) ? 'nation' : kindOfFile;
    let rowSubject: string | null = null;
    if (subjectColumn >= 0) {
      const given = cell(cells, subjectColumn);
      rowSubject = normaliseSubject(given);
      if (rowSubject === null) {
        skipped.push({ line, reason: MESSAGES.referenceLine.unknownSubject(quote(given), quote(columns[subjectColumn] ?? '')) });
        continue;
      }
    }

    const counts = new Map<number, number | null>();
    let bad: Message | null = null;
    for (const i2 of countColumns.values()) {
      const count = readCount(cells[i2] ?? '');
      if (count === undefined) {
        bad = MESSAGES.referenceLine.notPupilCount(quote(columns[i2] ?? ''), quote(tidy(cells[i2] ?? '')));
        break;
      }
      counts.set(i2, count);
    }
    const rowValues: ReferenceValue[] = [];
    if (bad === null) {
      for (let c = 0; c < width && bad === null; c++) {
        const role = roles[c];
        if (role === undefined || role.kind !== 'metric') continue;
        const token = readToken(cells[c] ?? '', false);
        if (token === null) {
          bad = MESSAGES.referenceLine.notFigure(quote(columns[c] ?? ''), quote(tidy(cells[c] ?? '')));
          break;
        }
        let value: number | null = null;
        if (token.status === 'ok') {
          value = isShare(role.metric) ? percentToFraction(token.decimal) : Number(token.decimal);
          if (outOfRange(role.metric, value)) {
            bad = MESSAGES.referenceLine.outOfRange(quote(columns[c] ?? ''), quote(token.raw), isShare(role.metric));
            break;
          }
        }
        const countColumn = role.metric === 'share_participated' ? undefined : countColumns.get(`${role.subject ?? ''}|${role.gender}`);
        const municipality = unitKind === 'municipality' ? unit : municipalityColumn >= 0 ? orNull(cell(cells, municipalityColumn)) : null;
        const municipalityCode =
          unitKind === 'municipality' ? unitCode : municipalityCodeColumn >= 0 ? orNull(padded(cell(cells, municipalityCodeColumn), widths.municipality, line, counted)) : null;
        rowValues.push({
          unit,
          unit_code: unitCode,
          unit_kind: unitKind,
          municipality,
          municipality_code: municipalityCode,
          provider: providerColumn >= 0 ? orNull(cell(cells, providerColumn)) : null,
          school_year: schoolYear,
          grade_level: gradeLevel,
          subject: role.subject ?? rowSubject,
          gender: role.gender,
          metric: role.metric,
          value,
          status: token.status,
          raw: token.raw,
          n: countColumn === undefined ? null : (counts.get(countColumn) ?? null),
          line,
        });
      }
    }
    if (bad !== null) skipped.push({ line, reason: bad });
    else values.push(...(layout === 'skolverket_relation' ? impliedZeros(rowValues) : rowValues));
  }

  const repaired = repairs.padded_codes > 0 || repairs.blank_lines_in_data > 0;
  return { file, layout, title, school_year: schoolYear, publisher: banner ? 'skolverket' : null, values, skipped, remarks, ...(repaired ? { repairs } : {}) };
}

/**
 * Skolverket's standard explanations above the header, which the reader already acts on or
 * which every file of a table repeats: not passed on. Everything else is (a remark such as
 * 2017/18's on the test parts that had been seen beforehand).
 */
const STANDARD_PREAMBLE: readonly RegExp[] = [
  /Exporten visar statistik om det finns minst \d+ elever[^.]*\./giu,
  /Om data saknas visas en prick \(\.\) i ?stället för utfall\./giu,
];

/** A preamble paragraph (its lines) as one remark, without the standard sentences; null when nothing is left. */
function remarkOf(lines: readonly string[]): string | null {
  let text = tidy(lines.join(' '));
  for (const pattern of STANDARD_PREAMBLE) text = text.replace(pattern, ' ');
  text = tidy(text);
  return /\p{L}/u.test(text) ? text : null;
}

/**
 * In the relation table Skolverket writes `.` also where no pupil falls in a category: a school
 * with 23 pupils reads `.;73,9;26,1` (lower, same, higher). Where a subject's known shares add up
 * to 100 % (± 0,25 for rounding) and its number of pupils is given, each `.` share is 0 % by
 * arithmetic, not a guess: it is used as 0 (`status` ok, `raw` still "."), flagged
 * `implied_zero`. Leaving those schools out would bias a pooled share upwards (the schools where
 * no pupil got a higher grade would drop out of "share higher"). Any other `.` stays missing.
 */
function impliedZeros(row: readonly ReferenceValue[]): ReferenceValue[] {
  const out = [...row];
  const groups = new Map<string, number[]>();
  out.forEach((value, index) => {
    if (value.metric !== 'share_higher' && value.metric !== 'share_same' && value.metric !== 'share_lower') return;
    const key = `${value.subject ?? ''}|${value.gender}`;
    groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  for (const indexes of groups.values()) {
    const members = indexes.map((index) => out[index]!);
    if (members.length !== 3) continue;
    const dots = members.filter((value) => value.status === 'missing' && value.raw === '.');
    const known = members.filter((value) => value.status === 'ok');
    if (dots.length === 0 || known.length === 0 || dots.length + known.length !== 3) continue;
    if (!(members[0]?.n !== null && (members[0]?.n ?? 0) > 0)) continue;
    const sum = known.reduce((total, value) => total + (value.value ?? 0), 0);
    if (Math.abs(sum - 1) > 0.0025 + 1e-9) continue;
    for (const index of indexes) {
      const value = out[index]!;
      if (value.status === 'missing' && value.raw === '.') out[index] = { ...value, value: 0, status: 'ok', implied_zero: true };
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The simple, hand-typed layout

type SimpleField = 'subject' | 'grade_level' | 'school_year' | 'unit' | 'unit_code' | 'municipality' | 'municipality_code' | 'provider' | 'gender' | 'n';

const SIMPLE_FIELDS: Readonly<Record<string, SimpleField>> = {
  subject: 'subject',
  amne: 'subject',
  gradelevel: 'grade_level',
  grade: 'grade_level',
  arskurs: 'grade_level',
  ak: 'grade_level',
  schoolyear: 'school_year',
  lasar: 'school_year',
  year: 'school_year',
  unit: 'unit',
  enhet: 'unit',
  unitcode: 'unit_code',
  enhetskod: 'unit_code',
  municipality: 'municipality',
  kommun: 'municipality',
  municipalitycode: 'municipality_code',
  kommunkod: 'municipality_code',
  provider: 'provider',
  typavhuvudman: 'provider',
  gender: 'gender',
  kon: 'gender',
  n: 'n',
  antal: 'n',
  antalelever: 'n',
};

const SIMPLE_METRICS: Readonly<Record<string, ReferenceMetric>> = {
  ...Object.fromEntries(REFERENCE_METRICS.map((metric) => [fold(metric), metric])),
  andelhogre: 'share_higher',
  andellika: 'share_same',
  andellagre: 'share_lower',
};

const SIMPLE_GENDERS: Readonly<Record<string, ReferenceGender>> = {
  '': 'all',
  all: 'all',
  alla: 'all',
  totalt: 'all',
  total: 'all',
  samtliga: 'all',
  f: 'F',
  k: 'F',
  flickor: 'F',
  flicka: 'F',
  girls: 'F',
  girl: 'F',
  m: 'M',
  p: 'M',
  pojkar: 'M',
  pojke: 'M',
  boys: 'M',
  boy: 'M',
};

const REQUIRED_SIMPLE: readonly SimpleField[] = ['subject', 'grade_level', 'school_year'];

/**
 * True when the line names simple-layout columns: a measure column, or two of subject,
 * grade_level, school_year (Skolverket's own header has "Ämne" but neither of the others).
 */
function looksSimple(cells: readonly string[]): boolean {
  const keys = cells.map((cell) => fold(cell));
  if (keys.some((key) => SIMPLE_METRICS[key] !== undefined)) return true;
  const required = new Set(keys.flatMap((key) => {
    const field = SIMPLE_FIELDS[key];
    return field !== undefined && REQUIRED_SIMPLE.includes(field) ? [field] : [];
  }));
  return required.size >= 2;
}

function parseSimple(file: string, rows: readonly TextRecord[], headerIndex: number, delimiter: string): ReferenceTable {
  const headerLine = lineOf(rows, headerIndex);
  const columns = dropTrailingEmpty(cellsOf(rows, headerIndex)).map(tidy);
  const width = columns.length;
  const fieldAt = new Map<SimpleField, number>();
  const metricColumns: { index: number; metric: ReferenceMetric }[] = [];
  const seenMetrics = new Map<ReferenceMetric, number>();
  columns.forEach((column, index) => {
    const key = fold(column);
    const field = SIMPLE_FIELDS[key];
    const metric = SIMPLE_METRICS[key];
    if (field !== undefined) {
      const before = fieldAt.get(field);
      if (before !== undefined) throw new InputError(MESSAGES.referenceTwoColumns(`${file}:${headerLine}`, field, quote(columns[before] ?? ''), quote(column)));
      fieldAt.set(field, index);
    } else if (metric !== undefined) {
      const before = seenMetrics.get(metric);
      if (before !== undefined) throw new InputError(MESSAGES.referenceTwoColumns(`${file}:${headerLine}`, metric, quote(columns[before] ?? ''), quote(column)));
      seenMetrics.set(metric, index);
      metricColumns.push({ index, metric });
    }
  });
  const missing = REQUIRED_SIMPLE.filter((field) => !fieldAt.has(field));
  if (missing.length > 0 || metricColumns.length === 0) {
    const measures = REFERENCE_METRICS.filter((metric) => !metric.startsWith('share_fail') && metric !== 'share_pass_all_subjects');
    throw new InputError(MESSAGES.referenceSimpleColumnsMissing(`${file}:${headerLine}`, missing, metricColumns.length === 0, measures));
  }

  // Data lines, then: is each share column written in percent?
  const data: { line: number; cells: string[] }[] = [];
  const skipped: { line: number; reason: Message }[] = [];
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const cells = cellsOf(rows, i);
    if (isBlank(cells)) continue;
    if (cells.length > width && !cells.slice(width).every((cell) => cell.trim() === '')) {
      skipped.push({ line: lineOf(rows, i), reason: MESSAGES.referenceLine.fieldCount(cells.length, width, delimiter === ',') });
      continue;
    }
    data.push({ line: lineOf(rows, i), cells });
  }
  const percent = new Set<number>();
  for (const { index, metric } of metricColumns) {
    if (!isShare(metric)) continue;
    for (const { cells } of data) {
      const raw = (cells[index] ?? '').trim();
      const decimal = decimalText(raw.replace(/%$/, ''));
      if (raw.endsWith('%') || (decimal !== null && Number(decimal) > 1)) {
        percent.add(index);
        break;
      }
    }
  }

  const values: ReferenceValue[] = [];
  const text = (cells: readonly string[], field: SimpleField): string => {
    const index = fieldAt.get(field);
    return index === undefined ? '' : tidy(cells[index] ?? '');
  };
  for (const { line, cells } of data) {
    const fail = (reason: Message): void => {
      skipped.push({ line, reason });
    };
    const column = (field: SimpleField): string => quote(columns[fieldAt.get(field) ?? 0] ?? field);
    const subjectText = text(cells, 'subject');
    const subject = normaliseSubject(subjectText);
    if (subject === null) {
      fail(subjectText === '' ? MESSAGES.referenceLine.noSubject(column('subject')) : MESSAGES.referenceLine.unknownSubject(quote(subjectText), column('subject')));
      continue;
    }
    const levelText = text(cells, 'grade_level');
    const levelMatch = /^(?:(?:årskurs|arskurs|åk|ak|år|ar|grade)\s*)?(\d{1,2})$/i.exec(levelText);
    const gradeLevel = levelMatch ? Number(levelMatch[1]) : null;
    if (gradeLevel === null || gradeLevel < 1 || gradeLevel > 10) {
      fail(MESSAGES.referenceLine.notGradeLevel(column('grade_level'), quote(levelText)));
      continue;
    }
    const yearText = text(cells, 'school_year');
    const schoolYear = normaliseSchoolYear(yearText);
    if (schoolYear === null) {
      fail(MESSAGES.referenceLine.notSchoolYear(column('school_year'), quote(yearText)));
      continue;
    }
    const genderText = text(cells, 'gender');
    const gender = SIMPLE_GENDERS[fold(genderText)];
    if (gender === undefined) {
      fail(MESSAGES.referenceLine.notGender(column('gender'), quote(genderText)));
      continue;
    }
    const n = readCount(text(cells, 'n'));
    if (n === undefined) {
      fail(MESSAGES.referenceLine.notPupilCount(column('n'), quote(text(cells, 'n'))));
      continue;
    }
    const unit = text(cells, 'unit') || 'Referens';
    const orNull = (field: SimpleField): string | null => text(cells, field) || null;
    const rowValues: ReferenceValue[] = [];
    let bad: Message | null = null;
    for (const { index, metric } of metricColumns) {
      const raw = (cells[index] ?? '').trim();
      const token = readToken(raw, true);
      if (token === null) {
        bad = MESSAGES.referenceLine.notFigure(quote(columns[index] ?? ''), quote(raw));
        break;
      }
      let value: number | null = null;
      if (token.status === 'ok') {
        value = percent.has(index) ? percentToFraction(token.decimal) : Number(token.decimal);
        if (outOfRange(metric, value)) {
          bad = MESSAGES.referenceLine.outOfRange(quote(columns[index] ?? ''), quote(raw), isShare(metric));
          break;
        }
      }
      rowValues.push({
        unit,
        unit_code: orNull('unit_code'),
        unit_kind: isNationName(unit) ? 'nation' : 'other',
        municipality: orNull('municipality'),
        municipality_code: orNull('municipality_code'),
        provider: orNull('provider'),
        school_year: schoolYear.label,
        grade_level: gradeLevel,
        subject,
        gender,
        metric,
        value,
        status: token.status,
        raw: token.raw,
        n,
        line,
      });
    }
    if (bad !== null) fail(bad);
    else values.push(...rowValues);
  }
  // A column of values ≤ 1 without % is read as fractions (0,27 = 27 %). Someone who typed 0,8 for
  // 0,8 % gets 80 %: say which columns were read which way.
  const fractionColumns = metricColumns.filter(({ index, metric }) => isShare(metric) && !percent.has(index)).map(({ index }) => columns[index] ?? '');
  const notes = fractionColumns.length > 0 ? [MESSAGES.referenceReadAsFractions(file, fractionColumns)] : [];
  return { file, layout: 'simple', title: null, school_year: null, publisher: null, values, skipped, notes };
}

// ---------------------------------------------------------------------------------------------
// Entry point

/**
 * Interpret a reference file's records (read by the one read path with blank lines kept: a blank
 * line ends Skolverket's data). Skolverket's export by its banner and header, else the simple
 * layout by its column names.
 */
export function parseReference(file: string, table: TextTable): ReferenceTable {
  const rows = table.records;
  const firstIndex = rows.findIndex((row) => !isBlank(row.fields));
  if (firstIndex < 0) throw new InputError(MESSAGES.referenceEmpty(file));
  const bannerIndex = rows.findIndex((row) => fold(row.fields.join(' ')).includes('statistikfranskolverket'));
  const header = findSkolverketHeader(rows);
  const banner = bannerIndex >= 0 && (header === null || bannerIndex < header.index);
  if (banner && header !== null) return parseSkolverket(file, rows, header, true);
  if (!banner && looksSimple(cellsOf(rows, firstIndex))) return parseSimple(file, rows, firstIndex, table.delimiter);
  // Skolverket's table with the banner cut off: still read by its header, but not credited.
  if (header !== null) return parseSkolverket(file, rows, header, false);
  throw new InputError(MESSAGES.referenceNoHeader(file, banner));
}
