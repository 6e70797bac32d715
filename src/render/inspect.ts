/**
 * `inspect` as text: one block per file.
 */
import { sheetWarnings, warningTexts, type FileMeta } from '../meta.js';
import { MESSAGES, type Message } from '../messages.js';
import type { InputNote } from '../normalise/sources.js';
import type { SheetUse } from '../read/inputs.js';
import type { Painter } from './color.js';
import { formatCount, wrapText, type Lang } from './format.js';
import { constantLines, delimiterText, detailText, genderLine, noteLine, outsideLine, reasonLine, keyWord as word } from './summary.js';

export interface InspectedFile extends FileMeta {
  /** Every row was rejected: the other commands stop on this file. */
  unusable: boolean;
  ignored_headers: string[];
  pupils: number;
  /** Teachers are people: only their number is shown. */
  teachers: number;
  /** Personnummer/samordningsnummer whose Luhn check digit is wrong (typos, or synthetic data). */
  invalid_check_digits: number;
  id_formats: Record<string, number>;
  /** Normalised values per dimension with counts (school years, levels, subjects, schools…). */
  dimensions: Record<string, Record<string, number>>;
  /** A worksheet of an Excel workbook: the workbook, its sheets and what was done with each, and what reading the sheet changed. */
  workbook?: InspectedWorkbook;
}

export interface InspectedWorkbook {
  /** The workbook's path. */
  file: string;
  /** This sheet. */
  sheet: string;
  /** Every sheet in tab order: hidden or not, and what was done with it (null: not decided); `same_as`: for a copy, the sheet it repeats. */
  sheets: { name: string; hidden: boolean; use: SheetUse | null; same_as?: string }[];
  /** Cells whose line breaks were read as spaces. */
  line_breaks: number;
  /** Personnummer typed as numbers that had lost their leading zero, given it back. */
  ids_restored: number;
  /** Ids typed as numbers of 7–9 digits not read as personnummer (no leading zero makes one of them, or the column does not hold personnummer): read as they are. */
  ids_short: number;
  /** Formulas without a saved value: read as empty cells. */
  formulas_without_value: number;
  hidden_rows: number;
  /** Merged cell ranges below the header row: only their first cell holds the value. */
  merged_ranges: number;
  /** Cells with a value to the right of the header row's last column: not read. */
  cells_beyond_header: number;
}

const SHEET_USE: Readonly<Record<SheetUse, { sv: string; en: string }>> = {
  read: { sv: 'läses', en: 'read' },
  areas: { sv: 'skolområden', en: 'school areas' },
  not_export: { sv: 'inte en export', en: 'not an export' },
  empty: { sv: 'tomt', en: 'empty' },
  own_output: { sv: 'en rapport från ska-analyze', en: 'a report from ska-analyze' },
  hidden: { sv: 'dolt; läses inte', en: 'hidden; not read' },
  repeat: { sv: 'samma arbetsbok en gång till; lästes en gång', en: 'the same workbook again; read once' },
  copy: { sv: 'samma innehåll som', en: 'the same content as' },
};

/** "Excel-arbetsbok: x.xlsx; blad: Info (inte en export), Betyg (läses: det här bladet)". */
function workbookLine(workbook: InspectedWorkbook, lang: Lang): string {
  const sv = lang === 'sv';
  const sheets = workbook.sheets.map((sheet) => {
    const use = sheet.use === null ? '–' : sheet.use === 'copy' ? `${SHEET_USE.copy[lang]} ${sheet.same_as ?? '?'}${sv ? '; lästes en gång' : '; read once'}` : SHEET_USE[sheet.use][lang];
    const self = sheet.name === workbook.sheet ? (sv ? ': det här bladet' : ': this sheet') : '';
    return `${sheet.name} (${use}${self})`;
  });
  return `${sv ? 'Excel-arbetsbok' : 'Excel workbook'}: ${workbook.file}; ${sv ? 'blad' : 'sheets'}: ${sheets.join(', ')}`;
}

/** What reading a sheet as rows changed: line breaks in cells, personnummer given back their leading zero. */
function workbookNotes(workbook: InspectedWorkbook, lang: Lang): string[] {
  const sv = lang === 'sv';
  const out: string[] = [];
  const cells = (count: number): string => `${formatCount(count, lang)} ${count === 1 ? 'cell' : sv ? 'celler' : 'cells'}`;
  if (workbook.line_breaks > 0) {
    const n = cells(workbook.line_breaks);
    out.push(sv ? `Radbrytningar i celler: ${n}; lästes som mellanslag, så varje rad i bladet är en rad` : `Line breaks in cells: ${n}; read as spaces, so each row of the sheet is one line`);
  }
  if (workbook.ids_restored > 0) {
    const n = cells(workbook.ids_restored);
    out.push(
      sv
        ? `Personnummer som tal: ${n} hade tappat sin inledande nolla i Excel (0901011234 blir talet 901011234); nollan lades tillbaka`
        : `Personnummer typed as numbers: ${n} had lost their leading zero in Excel (0901011234 becomes the number 901011234); the zero was put back`,
    );
  }
  return out;
}

/**
 * What reading a sheet could not read as it stands, as problems to look at: ids typed as numbers
 * not read as personnummer, formulas without a saved value, merged cells, cells right of the
 * header. Each once (the same warnings in meta are left out of the warning lines).
 */
function sheetProblems(workbook: InspectedWorkbook | undefined, lang: Lang): string[] {
  if (workbook === undefined) return [];
  const out: string[] = [];
  if (workbook.ids_short > 0) {
    const n = formatCount(workbook.ids_short, lang);
    out.push(
      lang === 'sv'
        ? `Id som tal: ${n} elev-id (celler) är tal med 7–9 siffror (Excel tar bort inledande nollor) som inte kunde läsas som personnummer; de lästes som de står och länkas inte som personnummer. Formatera kolumnen som text i systemet eller i Excel och exportera igen.`
        : `Ids typed as numbers: ${n} pupil ids (cells) are numbers of 7–9 digits (Excel drops leading zeros) that could not be read as personnummer; they were read as they are and are not linked as personnummer. Format the column as text in the system or in Excel and export again.`,
    );
  }
  if (workbook.formulas_without_value > 0) out.push(MESSAGES.sheetFormulasWithoutValue(workbook.formulas_without_value)[lang]);
  if (workbook.merged_ranges > 0) out.push(MESSAGES.sheetMergedRanges(workbook.merged_ranges)[lang]);
  if (workbook.cells_beyond_header > 0) out.push(MESSAGES.sheetCellsBeyondHeader(workbook.cells_beyond_header)[lang]);
  if (workbook.hidden_rows > 0) out.push(MESSAGES.sheetHiddenRows(workbook.hidden_rows)[lang]);
  return out;
}

/** The sheet's warnings in meta (English texts), shown by workbookNotes and sheetProblems instead. */
function sheetWarningTexts(workbook: InspectedWorkbook | undefined): Set<string> {
  if (workbook === undefined) return new Set();
  const warnings = sheetWarnings({
    workbook: workbook.file,
    idsRestored: workbook.ids_restored,
    idsShort: workbook.ids_short,
    formulasWithoutValue: workbook.formulas_without_value,
    mergedRanges: workbook.merged_ranges,
    cellsBeyondHeader: workbook.cells_beyond_header,
    hiddenRows: workbook.hidden_rows,
  });
  return new Set(warnings.map((warning) => warning.en));
}

/** A file inspect could not read, and why (in both languages: the table is in the run's, the JSON in English). */
export interface FailedFile {
  file: string;
  error: Message;
}


/** A value found in a column: "missing" (an omdöme that says none was given) and "(saknas)" (no value) in the reader's language. */
function valueText(value: string, lang: Lang): string {
  if (value === 'missing' && lang === 'sv') return 'saknas';
  if (value === '(saknas)' && lang === 'en') return '(missing)';
  return value;
}

export interface InspectRenderOptions {
  lang: Lang;
  paint: Painter;
  rawValues: boolean;
  /** Lines are wrapped at spaces to this width (null: not wrapped). */
  width?: number | null;
}

const MAX_VALUES = 12;

function listCounts(values: Record<string, number>, lang: Lang, name: (value: string) => string = (value) => value): string {
  const entries = Object.entries(values);
  const shown = entries.slice(0, MAX_VALUES).map(([value, count]) => `${name(value)} (${formatCount(count, lang)})`);
  if (entries.length > MAX_VALUES) shown.push(lang === 'sv' ? `… ${entries.length - MAX_VALUES} till` : `… ${entries.length - MAX_VALUES} more`);
  return shown.join(', ');
}

/** Rows without a grade level, and how to give them one. */
function noLevelProblem(file: InspectedFile, lang: Lang): string | null {
  if (file.rows_without_grade_level === 0) return null;
  const name = file.file.split(/[\\/]/).pop() ?? file.file;
  const n = formatCount(file.rows_without_grade_level, lang);
  return lang === 'sv'
    ? `Ingen årskurs: ${n} rader har ingen årskurs (ingen kolumn Årskurs, ingen klass som 5B, ingen årskurs i filnamnet). Gap och transition kan inte placera dem. Lägg till en kolumn, byt namn på filen (t.ex. omdomen_ak5.csv) eller ange årskursen i konfigurationen: "files": { "${name}": { "grade_level": 5 } } (init skriver det åt dig). Omdömen utan årskurs räknas av transition som --from (åk 5).`
    : `No grade level: ${n} rows have no grade level (no Årskurs column, no class such as 5B, no level in the file name). gap and transition cannot place them. Add a column, rename the file (e.g. omdomen_ak5.csv) or give the level in the config: "files": { "${name}": { "grade_level": 5 } } (init writes it for you). transition counts omdömen without a level as --from (år 5).`;
}

export function renderInspect(files: readonly InspectedFile[], failed: readonly FailedFile[], notes: readonly InputNote[], options: InspectRenderOptions): string {
  const { lang, paint } = options;
  const sv = lang === 'sv';
  const out: string[] = [];
  if (options.rawValues) {
    out.push(paint.warn(sv ? 'Avvisade värden visas som de står (--raw-values): de kan innehålla namn och personnummer. Dela inte utdata.' : 'Rejected values are shown as they are (--raw-values): they may hold names and personnummer. Do not share this output.'));
    out.push('');
  }
  for (const file of files) {
    out.push(paint.bold(file.file));
    if (file.workbook) {
      // A sheet has no encoding or delimiter of its own (its rows are read as CSV made from the cells).
      out.push(`  ${workbookLine(file.workbook, lang)}`);
      for (const note of workbookNotes(file.workbook, lang)) out.push(`  ${note}`);
    } else {
      out.push(`  ${sv ? 'Teckenkodning' : 'Encoding'}: ${file.encoding}${file.bom ? ' (BOM)' : ''}`);
      out.push(`  ${sv ? 'Avgränsare' : 'Delimiter'}: ${delimiterText(file.delimiter, lang)}`);
    }
    out.push(`  ${sv ? 'Format' : 'Layout'}: ${file.layout === 'long' ? (sv ? 'långt (en rad per resultat)' : 'long (one row per result)') : sv ? 'brett' : 'wide'}; ${sv ? 'innehåller' : 'holds'}: ${file.kinds.map((kind) => word(kind, lang)).join(', ') || '–'}`);
    // In Swedish with the field's key, the name the config's "columns" uses.
    out.push(`  ${sv ? 'Kolumner' : 'Columns'}:`);
    const fields = Object.entries(file.columns).map(([field, header]) => [sv ? `${word(field, lang)} (${field})` : field, header] as const);
    const width = Math.max(12, ...fields.map(([name]) => name.length));
    for (const [name, header] of fields) out.push(`    ${name.padEnd(width)} ← ${header}`);
    if (file.ignored_headers.length > 0) out.push(`  ${sv ? 'Används inte' : 'Not used'}: ${file.ignored_headers.join(', ')}`);
    out.push(
      `  ${sv ? 'Rader' : 'Rows'}: ${formatCount(file.rows.read, lang)} ${sv ? 'lästa' : 'read'}, ${formatCount(file.rows.accepted, lang)} ${sv ? 'godtagna' : 'accepted'}, ${formatCount(file.rows.rejected, lang)} ${sv ? 'avvisade' : 'rejected'}${file.rows.outside_selection > 0 ? `, ${formatCount(file.rows.outside_selection, lang)} ${sv ? 'utanför valda läsår' : 'outside the selected school years'}` : ''}${file.blank_lines > 0 ? `; ${formatCount(file.blank_lines, lang)} ${sv ? 'tomma rader hoppades över' : 'blank lines skipped'}` : ''}`,
    );
    for (const line of constantLines(file, lang)) out.push(`  ${line}`);
    out.push(`  ${sv ? 'Elever' : 'Pupils'}: ${formatCount(file.pupils, lang)}; ${sv ? 'id-format per rad' : 'id formats per row'}: ${listCounts(file.id_formats, lang, (format) => word(format, lang))}${file.teachers > 0 ? `; ${sv ? 'lärare' : 'teachers'}: ${formatCount(file.teachers, lang)}` : ''}`);
    if (file.invalid_check_digits > 0) {
      out.push(
        `  ${sv ? 'Fel kontrollsiffra' : 'Wrong check digit'}: ${formatCount(file.invalid_check_digits, lang)} ${sv ? 'personnummer (skrivfel? syntetiska data? de länkas ändå som de står)' : 'personnummer (typos? synthetic data? they are still linked as written)'}`,
      );
    }
    for (const [dim, values] of Object.entries(file.dimensions)) out.push(`  ${word(dim, lang)}: ${listCounts(values, lang, (value) => valueText(value, lang))}`);
    for (const [kind, values] of Object.entries(file.values)) out.push(`  ${word(kind, lang)}: ${listCounts(values, lang, (value) => valueText(value, lang))}`);
    const problems = Object.entries(file.rejected);
    const noLevel = noLevelProblem(file, lang);
    const fromSheet = sheetProblems(file.workbook, lang);
    const shownAbove = sheetWarningTexts(file.workbook);
    const warnings = warningTexts(file).filter((warning) => !shownAbove.has(warning.en));
    const gender = genderLine(file, lang);
    if (problems.length === 0 && warnings.length === 0 && noLevel === null && fromSheet.length === 0 && gender === null) out.push(`  ${sv ? 'Inga problem hittades.' : 'No problems found.'}`);
    else out.push(`  ${paint.warn(sv ? 'Problem' : 'Problems')}:`);
    for (const [reason, entry] of problems) {
      const values = entry.values ? ` [${listCounts(Object.fromEntries(Object.entries(entry.values).map(([value, count]) => [detailText(value, lang, reason), count])), lang)}]` : '';
      out.push(`    ${reasonLine(reason, entry, lang, values)}`);
    }
    if (noLevel !== null) out.push(`    ${noLevel}`);
    if (gender !== null) out.push(`    ${gender}`);
    for (const problem of fromSheet) out.push(`    ${problem}`);
    if (file.outside_selection) out.push(`  ${outsideLine(file.outside_selection, lang)}`);
    for (const warning of warnings) out.push(`    ${warning[lang]}`);
    if (file.unusable) {
      out.push(
        `    ${paint.error(sv ? 'Varje rad avvisades: filen kan inte användas (gap, transition, trend och report stannar på den).' : 'Every row was rejected: the file cannot be used (gap, transition, trend and report stop on it).')}`,
      );
    }
    out.push('');
  }
  for (const { file, error } of failed) {
    out.push(paint.bold(file));
    out.push(`  ${paint.error(sv ? 'Kunde inte läsas' : 'Could not be read')}: ${error[lang]}`);
    out.push('');
  }
  if (notes.length > 0) {
    out.push(sv ? 'Lästes inte som exporter:' : 'Not read as exports:');
    for (const note of notes) out.push(`  ${noteLine(note, lang)}`);
    out.push('');
  }
  // A continuation goes 2 further in than its line, so each line's start stays visible.
  return out.flatMap((line) => wrapText(line, options.width ?? null, 2)).join('\n');
}
