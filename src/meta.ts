/**
 * The `meta` block of every report: what was read, how, and where every row went. Built from
 * the reading stage's ledgers; the JSON renderer prints it as it is, the stderr summary from it.
 */
import type { FileReport } from './normalise/ingest.js';
import type { InputNote } from './normalise/sources.js';
import { REASON_TEXT, REJECT_REASONS } from './normalise/ledger.js';
import type { Field } from './normalise/headers.js';
import type { ResultKind } from './types.js';
import { literal, MESSAGES, type Message } from './messages.js';

/**
 * A file's warnings in both languages, for the stderr summary and inspect's table. A symbol key:
 * JSON.stringify leaves it out, so the JSON keeps `warnings` as it was (English), a contract.
 */
const WARNING_TEXTS: unique symbol = Symbol('warning texts');

export const TOOL_VERSION = '0.1.0';

export interface ReasonMeta {
  count: number;
  description: string;
  /** Up to five `file:line` locations. */
  examples: string[];
  /** Offending values with counts (never ids). */
  values?: Record<string, number>;
}

export interface FileMeta {
  file: string;
  /** Run manifest: the exact bytes read, so a figure can be traced to the export it came from. */
  bytes: number;
  sha256: string;
  encoding: string;
  bom: boolean;
  delimiter: string;
  layout: 'wide' | 'long';
  kinds: ResultKind[];
  columns: Partial<Record<Field, string>>;
  ignored_columns: number;
  /** read = accepted + rejected + outside_selection. */
  rows: { read: number; accepted: number; rejected: number; outside_selection: number };
  rejected: Record<string, ReasonMeta>;
  /** Rows of school years outside --school-years (a selection, not a rejection), per school year, with examples. */
  outside_selection: { count: number; examples: string[]; school_years: Record<string, number> } | null;
  /**
   * Rows whose gender cell is not a gender ("X", "Annat"), among the rows that passed the row's own
   * checks (a row later counted as a duplicate or conflict is counted here too): the cell is not
   * read, the pupil's gender comes from their other rows or the personnummer. Per value (as
   * rejected values are shown), with examples.
   */
  unrecognised_gender: { count: number; examples: string[]; values: Record<string, number> } | null;
  /** Values set for the whole file (config `files`, or a grade level in the file name) and the rows that used them. */
  constants: { field: string; value: string; source: 'config' | 'file_name'; pattern: string | null; rows: number | null }[];
  /** Rows with no grade level from any source. */
  rows_without_grade_level: number;
  line_end: string;
  /** Lines above the header (a title, a date line): not rows. */
  preamble_lines: number;
  blank_lines: number;
  values: Record<string, Record<string, number>>;
  /** In English (the JSON is a contract); warningTexts gives them in both languages. */
  warnings: string[];
  readonly [WARNING_TEXTS]?: readonly Message[];
}

/** A file's warnings in both languages (a FileMeta built elsewhere, e.g. in a test: its English ones as they are). */
export function warningTexts(file: FileMeta): readonly Message[] {
  return file[WARNING_TEXTS] ?? file.warnings.map(literal);
}

export interface ReportMeta {
  tool: 'ska-analyze';
  version: string;
  command: string;
  parameters: Record<string, unknown>;
  files: FileMeta[];
  rows: { read: number; accepted: number; rejected: number; outside_selection: number };
  /** Where every accepted value went in this analysis. */
  coverage: Record<string, number>;
  suppressed_groups: Record<string, number>;
  /** Inputs not read as exports: other files in the input folders, areas files, earlier reports. */
  not_read: InputNote[];
  /** gap, transition: flags across the report against what chance alone would give. */
  multiple_comparisons?: Record<string, unknown>;
  /** gap: the ordinary variation between groups per level, as the funnel limits allow for it. */
  between_groups?: readonly object[];
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ';': 'semicolon', ',': 'comma', '\t': 'tab', '|': 'pipe' };

function sortedRecord(values: Map<string, number> | Record<string, number>): Record<string, number> {
  const entries = values instanceof Map ? [...values.entries()] : Object.entries(values);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What reading a worksheet changed or could not read, as warnings (none for a text file). */
export function sheetWarnings(sheet: FileReport['sheet']): Message[] {
  if (sheet === undefined) return [];
  const out: Message[] = [];
  if (sheet.idsRestored > 0) out.push(MESSAGES.sheetIdsRestored(sheet.idsRestored));
  if (sheet.idsShort > 0) out.push(MESSAGES.sheetIdsShort(sheet.idsShort));
  if (sheet.formulasWithoutValue > 0) out.push(MESSAGES.sheetFormulasWithoutValue(sheet.formulasWithoutValue));
  if (sheet.mergedRanges > 0) out.push(MESSAGES.sheetMergedRanges(sheet.mergedRanges));
  if (sheet.cellsBeyondHeader > 0) out.push(MESSAGES.sheetCellsBeyondHeader(sheet.cellsBeyondHeader));
  if (sheet.hiddenRows > 0) out.push(MESSAGES.sheetHiddenRows(sheet.hiddenRows));
  return out;
}

export function describeFile(report: FileReport): FileMeta {
  if (report.digest !== undefined) throw new Error(`internal: the SHA-256 of ${report.file} was not waited for (settleDigests)`);
  const { ledger } = report;
  const rejected: Record<string, ReasonMeta> = {};
  for (const reason of REJECT_REASONS) {
    const entry = ledger.rejected.get(reason);
    if (!entry) continue;
    const details = ledger.details.get(reason);
    rejected[reason] = {
      count: entry.count,
      description: REASON_TEXT[reason].en,
      examples: entry.lines.map((line) => `${report.file}:${line}`),
      ...(details ? { values: sortedRecord(details) } : {}),
    };
  }
  const warnings: Message[] = [];
  if (report.invalidBytes) warnings.push(MESSAGES.invalidUtf8());
  warnings.push(...sheetWarnings(report.sheet));
  for (const { header, field } of report.duplicateHeaders) warnings.push(MESSAGES.columnNotUsed(header, report.columns[field] ?? '?', field));
  const values: Record<string, Record<string, number>> = {};
  for (const kind of ['grade', 'test', 'assessment'] as const) {
    if (Object.keys(report.values[kind]).length > 0) values[kind] = sortedRecord(report.values[kind]);
  }
  return {
    file: report.file,
    bytes: report.bytes,
    sha256: report.sha256,
    // A worksheet is cells, not text: no encoding or delimiter of its own.
    encoding: report.sheet ? 'xlsx' : report.encoding,
    bom: report.bom,
    delimiter: report.sheet ? 'cells' : (DELIMITER_NAMES[report.delimiter] ?? report.delimiter),
    layout: report.layout,
    kinds: [...report.kinds].sort(),
    columns: report.columns,
    ignored_columns: report.unmatchedHeaders.length,
    rows: { read: ledger.read, accepted: ledger.accepted, rejected: ledger.rejectedTotal, outside_selection: ledger.outside.count },
    rejected,
    outside_selection:
      ledger.outside.count === 0
        ? null
        : { count: ledger.outside.count, examples: ledger.outside.lines.map((line) => `${report.file}:${line}`), school_years: sortedRecord(ledger.outsideYears) },
    unrecognised_gender:
      ledger.unreadGender.count === 0
        ? null
        : { count: ledger.unreadGender.count, examples: ledger.unreadGender.lines.map((line) => `${report.file}:${line}`), values: sortedRecord(ledger.unreadGenderValues) },
    // A level in the file name is listed only when rows used it (they had none of their own).
    constants: report.constants.filter((constant) => constant.source === 'config' || report.levelFromName > 0).map((constant) => ({
      field: constant.field,
      value: constant.value,
      source: constant.source,
      pattern: constant.pattern ?? null,
      rows: constant.source === 'file_name' ? report.levelFromName : null,
    })),
    rows_without_grade_level: report.noLevel,
    line_end: report.lineEnd,
    preamble_lines: report.preambleLines,
    blank_lines: report.blankLines,
    values,
    warnings: warnings.map((warning) => warning.en),
    [WARNING_TEXTS]: warnings,
  };
}

export function buildMeta(
  command: string,
  parameters: Record<string, unknown>,
  files: readonly FileReport[],
  coverage: Record<string, number>,
  suppressed: Record<string, number>,
  notes: readonly InputNote[] = [],
): ReportMeta {
  const described = files.map(describeFile);
  const rows = { read: 0, accepted: 0, rejected: 0, outside_selection: 0 };
  for (const file of described) {
    rows.read += file.rows.read;
    rows.accepted += file.rows.accepted;
    rows.rejected += file.rows.rejected;
    rows.outside_selection += file.rows.outside_selection;
  }
  return { tool: 'ska-analyze', version: TOOL_VERSION, command, parameters, files: described, rows, coverage, suppressed_groups: suppressed, not_read: [...notes] };
}
