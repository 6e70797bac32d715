/**
 * The row accounting for stderr: per file, rows read, accepted and rejected by reason, with up
 * to five file:line examples per reason; then where the accepted values went.
 */
import { warningTexts, type FileMeta, type ReasonMeta, type ReportMeta } from '../meta.js';
import type { InputNote } from '../normalise/sources.js';
import { REASON_TEXT, type RejectReason } from '../normalise/ledger.js';
import type { Painter } from './color.js';
import { formatCount, type Lang } from './format.js';
import { INTERNAL_NOTICE } from './labels.js';

const COVERAGE_TEXT: Readonly<Record<string, { sv: string; en: string }>> = {
  paired: { sv: 'värden i par (betyg + provbetyg)', en: 'values paired (grade + test)' },
  grade_only: { sv: 'betyg utan provbetyg', en: 'grades without a test grade' },
  test_only: { sv: 'provbetyg utan betyg', en: 'test grades without a grade' },
  streck: { sv: 'streck (inget betyg kunde sättas)', en: 'streck (no grade could be set)' },
  no_test_in_subject_level_year: {
    sv: 'betyg i ämne/årskurs/läsår utan nationella prov (jämförs inte)',
    en: 'grades in a subject/level/year with no national test (not compared)',
  },
  autumn_grade_superseded: { sv: 'höstterminsbetyg där vårterminsbetyg finns', en: 'autumn grades where a spring grade exists' },
  conflict_left_out: { sv: 'motstridiga värden, utelämnade', en: 'conflicting values, left out' },
  assessment_not_used: { sv: 'bedömningar (används av transition, inte gap)', en: 'assessments (used by transition, not gap)' },
  linked: { sv: 'elev–ämnen länkade mellan åren', en: 'pupil–subjects linked between the years' },
  from_only: { sv: 'bedömda utan senare resultat (flyttat, frånvarande)', en: 'assessed with no later result (moved away, absent)' },
  to_only: { sv: 'senare resultat utan tidigare bedömning (inflyttade)', en: 'later result with no earlier assessment (moved in)' },
  from_missing: { sv: 'länkade men omdöme/betyg saknas det första året', en: 'linked, but the first year has no omdöme/grade' },
  to_missing: { sv: 'länkade men resultat saknas det senare året (streck)', en: 'linked, but the later year has no result (streck)' },
  changed_school: { sv: 'av de länkade: bytt skola mellan åren', en: 'of those linked: changed school between the years' },
  outside_years: { sv: 'utanför årskullarna som finns i båda åren (t.ex. åk 5 i senaste läsåret)', en: 'outside the cohorts covered at both ends (e.g. year 5 in the latest school year)' },
  unknown_grade_level: { sv: 'utan årskurs (kan inte placeras)', en: 'without a grade level (cannot be placed)' },
  assessment_level_assumed: {
    sv: 'omdömen utan årskurs, räknade som --from (omdömen ges bara till och med åk 5)',
    en: 'omdömen without a grade level, counted as --from (omdömen are given only up to year 5)',
  },
};

const ENCODING_TEXT: Readonly<Record<string, string>> = { ascii: 'ASCII', 'utf-8': 'UTF-8', 'windows-1252': 'Windows-1252', 'utf-16le': 'UTF-16LE', 'utf-16be': 'UTF-16BE', macintosh: 'Mac Roman' };

/** meta's delimiter names (English in JSON) as the reader reads them. */
const DELIMITER_TEXT: Readonly<Record<string, { sv: string; en: string }>> = {
  semicolon: { sv: 'semikolon', en: 'semicolon' },
  comma: { sv: 'komma', en: 'comma' },
  tab: { sv: 'tabb', en: 'tab' },
  pipe: { sv: 'lodstreck', en: 'pipe' },
};

/** "semikolon", "komma", …: a delimiter as meta names it, in the reader's language (any other character as it is). */
export function delimiterText(delimiter: string, lang: Lang): string {
  return DELIMITER_TEXT[delimiter]?.[lang] ?? delimiter;
}

/** Keys of meta (fields, dimensions, result kinds, id formats: English, as in the JSON) as a Swedish reader reads them. */
const SWEDISH_KEYS: Readonly<Record<string, string>> = {
  // fields and dimensions
  student_id: 'elev-id',
  school: 'skola',
  area: 'skolområde',
  class: 'klass',
  grade_level: 'årskurs',
  school_year: 'läsår',
  subject: 'ämne',
  gender: 'kön',
  teacher: 'lärare',
  kind: 'typ',
  value: 'resultat',
  // result kinds
  grade: 'betyg',
  test: 'provbetyg',
  assessment: 'bedömning',
  // id formats
  opaque: 'annat id',
};

/** A key of meta in the reader's language: `skola` for school in Swedish; in English the key as it is. */
export function keyWord(key: string, lang: Lang): string {
  return lang === 'sv' ? (SWEDISH_KEYS[key] ?? key) : key;
}

/** meta's layout (wide, long) in words. */
const LAYOUT_TEXT: Readonly<Record<FileMeta['layout'], { sv: string; en: string }>> = {
  wide: { sv: 'brett format', en: 'wide' },
  long: { sv: 'långt format', en: 'long' },
};

function isReason(reason: string): reason is RejectReason {
  return reason in REASON_TEXT;
}

/** "14 utanför valda läsår (2022/23 ×14): file:2, …": the rows --school-years left out. */
export function outsideLine(outside: NonNullable<FileMeta['outside_selection']>, lang: Lang): string {
  const years = Object.entries(outside.school_years).map(([year, count]) => `${year} ×${formatCount(count, lang)}`).join(', ');
  const more = outside.count > outside.examples.length ? ', …' : '';
  return lang === 'sv'
    ? `${formatCount(outside.count, lang)} utanför valda läsår (${years}; urval, inte avvisade): ${outside.examples.join(', ')}${more}`
    : `${formatCount(outside.count, lang)} outside the selected school years (${years}; a selection, not rejected): ${outside.examples.join(', ')}${more}`;
}

/** "2 rader har ett värde i kolumnen "Kön" som inte är ett kön ["X" ×2]; …: file:4, file:9": rows whose gender cell was not read. */
export function genderLine(file: FileMeta, lang: Lang): string | null {
  const unread = file.unrecognised_gender;
  if (!unread) return null;
  const header = file.columns.gender ?? (lang === 'sv' ? 'kön' : 'gender');
  const values = Object.entries(unread.values)
    .sort(([a, m], [b, n]) => n - m || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, 5)
    .map(([value, count]) => `"${detailText(value, lang)}" ×${formatCount(count, lang)}`)
    .join(', ');
  const more = Object.keys(unread.values).length > 5 ? ', …' : '';
  const examples = `${unread.examples.join(', ')}${unread.count > unread.examples.length ? ', …' : ''}`;
  const one = unread.count === 1;
  return lang === 'sv'
    ? `${formatCount(unread.count, lang)} ${one ? 'rad har' : 'rader har'} ett värde i kolumnen "${header}" som inte är ett kön [${values}${more}]; elevens kön tas i stället från elevens andra rader eller personnumret: ${examples}`
    : `${formatCount(unread.count, lang)} ${one ? 'row has' : 'rows have'} a value in the column "${header}" that is not a gender [${values}${more}]; the pupil's gender comes from their other rows or the personnummer instead: ${examples}`;
}

/** "3 gammal betygsskala [values]: file:12, file:40, …": one rejection reason with its examples. */
export function reasonLine(reason: string, entry: ReasonMeta, lang: Lang, values: string): string {
  const text = isReason(reason) ? REASON_TEXT[reason][lang] : reason;
  return `${formatCount(entry.count, lang)} ${text}${values}: ${entry.examples.join(', ')}${entry.count > entry.examples.length ? ', …' : ''}`;
}

/**
 * A rejected value as shown: the markers safeDetail puts in place of a value, and a line's
 * number of fields against the header's ("4 of 7", wrong number of fields), in the reader's language.
 */
export function detailText(value: string, lang: Lang, reason?: string): string {
  if (lang === 'en') return value;
  if (value === '[hidden: looks like an id]') return '[dolt: ser ut som ett id]';
  if (reason === 'field_count') return value.replace(/^(\d+) of (\d+)$/, '$1 av $2');
  return value.replace(/^\[text, (\d+) characters?\]$/, '[text, $1 tecken]');
}

/** ", 12 utanför valda läsår" when rows were outside --school-years. */
function outsidePart(count: number, lang: Lang): string {
  if (count === 0) return '';
  return lang === 'sv' ? `, ${formatCount(count, lang)} utanför valda läsår` : `, ${formatCount(count, lang)} outside the selected school years`;
}

/** The lines about values set for a whole file and rows without a grade level. */
export function constantLines(file: FileMeta, lang: Lang): string[] {
  const sv = lang === 'sv';
  const out: string[] = [];
  for (const constant of file.constants) {
    const field = constant.field === 'grade_level' && !sv ? 'grade level' : keyWord(constant.field, lang);
    if (constant.source === 'file_name') {
      out.push(
        sv
          ? `${field} ${constant.value} från filnamnet för ${formatCount(constant.rows ?? 0, lang)} rader utan egen årskurs`
          : `${field} ${constant.value} from the file name for ${formatCount(constant.rows ?? 0, lang)} rows without one of their own`,
      );
    } else {
      out.push(sv ? `${field} = ${constant.value} för hela filen (konfigurationens files: "${constant.pattern ?? ''}")` : `${field} = ${constant.value} for the whole file (the config's files: "${constant.pattern ?? ''}")`);
    }
  }
  if (file.preamble_lines > 0) {
    out.push(
      sv
        ? `${formatCount(file.preamble_lines, lang)} rader ovanför rubrikraden (t.ex. en titel) är inte data och hoppades över`
        : `${formatCount(file.preamble_lines, lang)} lines above the header (e.g. a title) are not data and were skipped`,
    );
  }
  if (file.rows_without_grade_level > 0) {
    out.push(
      sv
        ? `${formatCount(file.rows_without_grade_level, lang)} rader utan årskurs (ingen kolumn, klass, konfiguration eller årskurs i filnamnet)`
        : `${formatCount(file.rows_without_grade_level, lang)} rows without a grade level (no column, class, config or level in the file name)`,
    );
  }
  return out;
}

const NOTE_TEXT: Readonly<Record<InputNote['reason'], { sv: string; en: string }>> = {
  not_a_table: { sv: 'inte en CSV-fil; lästes inte', en: 'not a CSV file; not read' },
  excel: { sv: 'kalkylark i ett format som inte läses (.xls, .ods, .numbers); spara det som Excel-arbetsbok (.xlsx) eller som "CSV UTF-8"', en: 'a spreadsheet in a format that is not read (.xls, .ods, .numbers); save it as an Excel workbook (.xlsx) or as "CSV UTF-8"' },
  workbook_unreadable: { sv: 'Excel-arbetsbok som inte kan läsas (skadad eller lösenordsskyddad); lästes inte (öppna den i Excel och spara den igen utan lösenord)', en: 'an Excel workbook that cannot be read (broken or password-protected); not read (open it in Excel and save it again without a password)' },
  hidden: { sv: 'dold fil eller Excels låsfil; lästes inte', en: 'a hidden file or Excel lock file; not read' },
  hidden_sheet: { sv: 'dolt blad i arbetsboken; lästes inte (visa bladet i Excel om det ska läsas)', en: 'a hidden sheet of the workbook; not read (unhide it in Excel if it is to be read)' },
  not_a_file: { sv: 'inte en vanlig fil; lästes inte', en: 'not a regular file; not read' },
  own_output: { sv: 'en rapport som ska-analyze skrivit, inte en export; lästes inte', en: 'a report ska-analyze wrote, not an export; not read' },
  areas_used: { sv: 'skolområdesfil (Skola;Skolområde); används för skolområden', en: 'an areas file (Skola;Skolområde); used for the school areas' },
  areas_skipped: { sv: 'skolområdesfil (Skola;Skolområde); hoppades över eftersom --areas anger en annan', en: 'an areas file (Skola;Skolområde); skipped since --areas names another' },
  not_export: { sv: 'inte en export; lästes inte', en: 'not an export; not read' },
  empty: { sv: 'tom fil; lästes inte', en: 'an empty file; not read' },
  folder: { sv: 'en mapp; mappar i mappar läses inte', en: 'a folder; folders inside folders are not read' },
  same_file: { sv: 'samma fil som', en: 'the same file as' },
  copy: { sv: 'samma innehåll som (en kopia); lästes en gång, som', en: 'the same bytes as (a copy); read once, as' },
  same_sheet: { sv: 'samma innehåll som ett blad före det i arbetsboken (ett kopierat blad); lästes en gång', en: 'the same content as a sheet before it in the workbook (a copied sheet); read once' },
};

const MISSING_TEXT: Readonly<Record<string, { sv: string; en: string }>> = {
  student_id: { sv: 'elev-id', en: 'pupil id' },
  school_year: { sv: 'läsår', en: 'school year' },
  subject: { sv: 'ämne', en: 'subject' },
};

/** "exports/README.txt: inte en CSV-fil; lästes inte". */
export function noteLine(note: InputNote, lang: Lang): string {
  const missing =
    note.missing && note.missing.length > 0
      ? lang === 'sv'
        ? ` (ingen kolumn för ${note.missing.map((field) => MISSING_TEXT[field]?.sv ?? field).join(', ')})`
        : ` (no column for ${note.missing.map((field) => MISSING_TEXT[field]?.en ?? field).join(', ')})`
      : '';
  const of = note.of === undefined ? '' : ` ${note.of}${note.reason === 'same_file' ? (lang === 'sv' ? '; lästes en gång' : '; read once') : ''}`;
  return `${note.file}: ${NOTE_TEXT[note.reason][lang]}${of}${missing}`;
}

export function renderSummary(meta: ReportMeta, lang: Lang, paint: Painter): string {
  const sv = lang === 'sv';
  const lines: string[] = [];
  for (const note of meta.not_read) lines.push(noteLine(note, lang));
  for (const file of meta.files) {
    const encoding = `${ENCODING_TEXT[file.encoding] ?? file.encoding}${file.bom ? ' BOM' : ''}`;
    const rows = sv
      ? `${formatCount(file.rows.read, lang)} rader lästa: ${formatCount(file.rows.accepted, lang)} godtagna, ${formatCount(file.rows.rejected, lang)} avvisade${outsidePart(file.rows.outside_selection, lang)}`
      : `${formatCount(file.rows.read, lang)} rows read: ${formatCount(file.rows.accepted, lang)} accepted, ${formatCount(file.rows.rejected, lang)} rejected${outsidePart(file.rows.outside_selection, lang)}`;
    const form = file.encoding === 'xlsx' ? (sv ? 'Excel-blad' : 'Excel sheet') : `${encoding}, ${delimiterText(file.delimiter, lang)}`;
    lines.push(`${paint.bold(file.file)} (${form}, ${LAYOUT_TEXT[file.layout][lang]}): ${rows}`);
    for (const [reason, entry] of Object.entries(file.rejected)) {
      const values = entry.values ? ` [${Object.entries(entry.values).slice(0, 5).map(([value, count]) => `"${detailText(value, lang, reason)}" ×${count}`).join(', ')}]` : '';
      lines.push(`  ${reasonLine(reason, entry, lang, values)}`);
    }
    if (file.outside_selection) lines.push(`  ${outsideLine(file.outside_selection, lang)}`);
    const gender = genderLine(file, lang);
    if (gender !== null) lines.push(`  ${gender}`);
    for (const line of constantLines(file, lang)) lines.push(`  ${line}`);
    for (const warning of warningTexts(file)) lines.push(`  ${paint.warn(warning[lang])}`);
  }
  const total = meta.rows;
  const outside = total.outside_selection > 0;
  lines.push(
    sv
      ? `Totalt ${formatCount(total.read, lang)} rader: ${formatCount(total.accepted, lang)} godtagna + ${formatCount(total.rejected, lang)} avvisade${outside ? ` + ${formatCount(total.outside_selection, lang)} utanför valda läsår` : ''}.`
      : `In all ${formatCount(total.read, lang)} rows: ${formatCount(total.accepted, lang)} accepted + ${formatCount(total.rejected, lang)} rejected${outside ? ` + ${formatCount(total.outside_selection, lang)} outside the selected school years` : ''}.`,
  );
  const coverage = Object.entries(meta.coverage).filter(([, count]) => count > 0);
  if (coverage.length > 0) {
    lines.push(sv ? 'Godtagna värden i analysen:' : 'Accepted values in this analysis:');
    for (const [key, count] of coverage) lines.push(`  ${formatCount(count, lang)} ${COVERAGE_TEXT[key]?.[lang] ?? key}`);
  }
  const hidden = Object.entries(meta.suppressed_groups).filter(([, count]) => count > 0);
  if (hidden.length > 0) {
    const text = hidden.map(([reason, count]) => `${formatCount(count, lang)} ${reason === 'small_group' ? (sv ? 'för små' : 'too small') : sv ? 'sekundärt maskerade' : 'complementary'}`).join(', ');
    lines.push(sv ? `Dolda grupper: ${text}.` : `Hidden groups: ${text}.`);
  }
  // Also on stderr, so a JSON or CSV run with --small-groups-only says it too.
  if (meta.parameters.suppression === 'small_groups_only') lines.push(paint.warn(INTERNAL_NOTICE[lang]));
  return `${lines.join('\n')}\n`;
}
