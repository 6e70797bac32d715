/**
 * What each input is, told by its header before it is read: an export, an areas file (Skola;
 * Skolområde) kept in the same folder, a report this tool wrote earlier (its CSV columns are its
 * signature), or some other table. Only exports are read as exports; the rest are used or skipped
 * with a one-line note, so a folder can be given as the user keeps it.
 *
 * The sheets of an Excel workbook are told apart the same way, each by its own header: every
 * sheet that holds an export is read, as its own input (`file.xlsx!Betyg`, `file.xlsx!Prov`); a
 * title or info sheet, an empty sheet, and other tables are not (each but the empty ones named in
 * a note). A workbook named on the command line without any export sheet is read by the sheet
 * that holds the most (so its problem is reported as for a CSV); hidden sheets are never read.
 * An export sheet with the same content as an earlier one (a copied sheet, "Betyg (2)") is read
 * once: the copy is named in a note, as a copied file is.
 */
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { filledCells, firstRecords, reshapeSheet, type InputSource, type SheetUse, type SkippedFile } from '../read/inputs.js';
import { readFirstRecords, spreadsheetKind, type SpreadsheetKind, type TextRecord } from '../read/records.js';
import { XlsxError } from '../read/workbook.js';
import { sheetCsv } from '../read/xlsx-lazy.js';
import type { IdCell, IdColumn, SheetHeader } from '../read/xlsx.js';
import type { Encoding } from '../read/decode.js';
import { areaColumns } from './areas.js';
import { mapHeaders, type ColumnMapping, type Field } from './headers.js';
import { hasValidCheckDigit, normalisePupilId } from './pupil-id.js';
import { fold } from './text.js';

export type SourceKind = 'export' | 'areas' | 'own_output' | 'not_export' | 'empty' | 'excel' | 'same_sheet';

/** Columns an export must have (or get from the config's `files`). */
const REQUIRED: readonly Field[] = ['student_id', 'school_year', 'subject'];

/**
 * A CSV this tool wrote: gap, transition and trend rows have `level` and `suppressed_reason`;
 * case lists have `pupil` with `diff_steps` (gap) or `changed_school` (transition).
 */
function isOwnOutput(headers: readonly string[]): boolean {
  // A table report saved with -o: its title line.
  const first = (headers[0] ?? '').trim();
  if (/^(Betyg jämfört med nationella prov|Teacher grades compared with national tests|Bedömning i år \d|Year \d assessments|Intern analys:|Internal analysis:)/.test(first)) return true;
  const keys = new Set(headers.map((header) => header.trim().replace(/^\uFEFF/, '')));
  if (keys.has('level') && keys.has('suppressed_reason')) return true;
  if (keys.has('pupil') && (keys.has('diff_steps') || keys.has('changed_school'))) return true;
  // --excel (render/excel.ts): its Swedish or English column names.
  if ((keys.has('Nivå') && keys.has('Anmärkning')) || (keys.has('Group level') && keys.has('Note'))) return true;
  return (keys.has('Elev') && (keys.has('Steg (betyg − prov)') || keys.has('Bytt skola'))) || (keys.has('Pupil') && (keys.has('Steps (grade − test)') || keys.has('Changed school')));
}

interface Classified {
  kind: SourceKind;
  missing: Field[];
  /** For an export: its header's columns. */
  columns?: ColumnMapping['columns'];
}

function classifyHeader(headers: readonly string[], config: Config, constantFields: ReadonlySet<string>): Classified {
  if (isOwnOutput(headers)) return { kind: 'own_output', missing: [] };
  const columns = mapHeaders(headers.map((header) => header.trim()), config.columns ?? {}).columns;
  const missing = REQUIRED.filter((field) => columns[field] === undefined && !constantFields.has(field));
  if (missing.length === 0) return { kind: 'export', missing, columns };
  if (areaColumns(headers) !== null) return { kind: 'areas', missing };
  return { kind: 'not_export', missing };
}

/** What a table's first records say it is: the first record that names an export's columns is its header (else the first that names an areas file's). */
function classifyRecords(records: readonly TextRecord[], config: Config, constants: ReadonlySet<string>): Classified & { header: number } {
  const kinds = records.map((record) => classifyHeader(record.fields, config, constants));
  const at = kinds.findIndex((kind) => kind.kind === 'export');
  const areas = kinds.findIndex((kind) => kind.kind === 'areas');
  const chosen = at >= 0 ? at : areas >= 0 ? areas : 0;
  return { ...(kinds[chosen] ?? { kind: 'empty' as const, missing: [] }), header: chosen };
}

export interface SortedSource {
  source: InputSource;
  kind: SourceKind;
  missing: Field[];
}

/** A note about an input that is not read as an export. */
export interface InputNote {
  file: string;
  /** same_sheet: a sheet with the same content as an earlier sheet of its workbook (read once). */
  reason: SkippedFile['reason'] | 'own_output' | 'areas_used' | 'areas_skipped' | 'not_export' | 'empty' | 'same_file' | 'copy' | 'same_sheet';
  /** For not_export: the export columns it lacks. */
  missing?: Field[];
  /** For same_file and copy: the input it repeats. */
  of?: string;
}

/** Peek at each source's header and say what it is. stdin is always an export. */
export async function sortSources(sources: readonly InputSource[], config: Config, encoding: Encoding | undefined, constantsFor: (file: string) => ReadonlySet<string>): Promise<SortedSource[]> {
  const out: SortedSource[] = [];
  const workbooks = new WorkbookIdentities();
  for (let i = 0; i < sources.length; ) {
    const source = sources[i] as InputSource;
    if (source.sheet !== undefined) {
      // The sheets of one workbook come together, in tab order.
      let end = i + 1;
      while (end < sources.length && sources[end]?.sheet?.workbook === source.sheet.workbook) end++;
      out.push(...(await sortSheets(sources.slice(i, end), config, encoding, constantsFor, workbooks)));
      i = end;
      continue;
    }
    i++;
    if (!source.path) {
      out.push({ source, kind: 'export', missing: [] });
      continue;
    }
    // A workbook read/inputs.ts did not open (.xls, .ods, whatever its name) is told by its first bytes and not read as text.
    const workbook: { kind: SpreadsheetKind | null } = { kind: null };
    async function* unlessWorkbook(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      let first = true;
      for await (const chunk of chunks) {
        if (first) {
          first = false;
          workbook.kind = spreadsheetKind(chunk);
          if (workbook.kind !== null) return;
        }
        yield chunk;
      }
    }
    let records;
    try {
      records = await readFirstRecords(unlessWorkbook(source.open()), encoding ? { encoding } : {});
    } catch (error) {
      throw describeFsError(error, source.name);
    }
    if (workbook.kind !== null) {
      // Named on the command line: say what it is and what to do; in a folder: skipped with a note.
      if (!source.fromFolder) {
        throw new InputError(workbook.kind === 'xlsx' ? MESSAGES.workbookUnreadable(source.name, 'not_zip', '') : MESSAGES.oldSpreadsheet(source.name, workbook.kind));
      }
      out.push({ source, kind: 'excel', missing: [] });
      continue;
    }
    if (records.length === 0) {
      out.push({ source, kind: 'empty', missing: [] });
      continue;
    }
    // The header may sit below a title: the first record that names an export's columns.
    const { kind, missing } = classifyRecords(records, config, constantsFor(source.name));
    out.push({ source, kind, missing });
  }
  return out;
}

const USE: Readonly<Record<SourceKind, SheetUse>> = { export: 'read', areas: 'areas', own_output: 'own_output', not_export: 'not_export', empty: 'empty', excel: 'not_export', same_sheet: 'copy' };

/**
 * The sheets of one workbook: each export sheet is read; the others are named in a note (as files
 * found in a folder are), empty ones left out. See the module comment for a named workbook
 * without an export sheet.
 */
async function sortSheets(
  sheets: readonly InputSource[],
  config: Config,
  encoding: Encoding | undefined,
  constantsFor: (file: string) => ReadonlySet<string>,
  workbooks: WorkbookIdentities,
): Promise<SortedSource[]> {
  const named = sheets.some((sheet) => !sheet.fromFolder);
  const seen: { source: InputSource; kind: SourceKind; missing: Field[]; filled: number; records: TextRecord[]; idColumn?: IdColumn | undefined; header?: SheetHeader | undefined; of?: InputSource }[] = [];
  for (const sheet of sheets) {
    const records = await firstRecords(sheet);
    if (records.length === 0) {
      seen.push({ source: sheet, kind: 'empty', missing: [], filled: 0, records });
      continue;
    }
    const found = classifyRecords(records, config, constantsFor(sheet.name));
    const headerRecord = records[found.header];
    const header = found.kind === 'export' && headerRecord ? sheetHeader(headerRecord) : undefined;
    const idColumn = found.kind === 'export' && headerRecord ? pupilIdColumn(headerRecord, found.columns?.student_id) : undefined;
    seen.push({ source: sheet, kind: found.kind, missing: found.missing, filled: filledCells(records), records, ...(idColumn ? { idColumn } : {}), ...(header ? { header } : {}) });
  }
  // A named workbook without an export sheet: its fullest sheet is read as the export it was named as (an areas sheet or an earlier report speaks for itself).
  if (named && !seen.some((sheet) => sheet.kind === 'export' || sheet.kind === 'areas' || sheet.kind === 'own_output')) {
    const fullest = seen.reduce((best, sheet) => (sheet.filled > best.filled ? sheet : best), seen[0] as (typeof seen)[number]);
    fullest.kind = fullest.filled === 0 ? 'empty' : 'export';
    fullest.idColumn = undefined;
    fullest.header = undefined;
  }
  // A copied sheet ("Betyg" and "Betyg (2)"): an export sheet whose rows are those of an earlier one is read once (its every row would be a duplicate).
  const contents = new Map<InputSource, Promise<string>>();
  const content = (sheet: (typeof seen)[number]): Promise<string> => {
    let hash = contents.get(sheet.source);
    if (hash === undefined) {
      hash = sheetHash(sheet.source, sheet.header);
      contents.set(sheet.source, hash);
    }
    return hash;
  };
  const earlier: (typeof seen)[number][] = [];
  for (const sheet of seen) {
    if (sheet.kind !== 'export') continue;
    for (const before of earlier) {
      if (sameRecords(before.records, sheet.records) && (await content(before)) === (await content(sheet))) {
        sheet.kind = 'same_sheet';
        sheet.of = before.source;
        break;
      }
    }
    if (sheet.kind === 'export') earlier.push(sheet);
  }
  const out: SortedSource[] = [];
  const exports = seen.filter((sheet) => sheet.kind === 'export');
  const repeat = exports.length > 0 ? await workbooks.repeats(exports[0]?.source.sheet?.file ?? '') : false;
  const onlyEmpty = seen.every((sheet) => sheet.kind === 'empty');
  for (const sheet of seen) {
    const part = sheet.source.sheet;
    const entry = part?.workbook.sheets[part.index];
    if (sheet.kind === 'export') {
      const first = sheet === exports[0];
      // The workbook again (named twice, or a copy): its first export sheet is noted as that by the caller, the others are left out.
      if (repeat && !first) {
        if (entry) entry.use = 'repeat';
        continue;
      }
      if (entry) entry.use = 'read';
      // Export sheets after the first keep no path, so the caller does not take them for the same file read twice (-o is still refused by the first).
      const path = first ? (sheet.source.path ?? null) : null;
      out.push({ source: reshapeSheet(sheet.source, { idColumn: sheet.idColumn, header: sheet.header, encoding, path }), kind: 'export', missing: [] });
      continue;
    }
    if (sheet.kind === 'same_sheet' && repeat) {
      if (entry) entry.use = 'repeat';
      continue;
    }
    if (entry) entry.use = USE[sheet.kind];
    const of = sheet.of?.sheet;
    if (entry && of) entry.of = of.workbook.sheets[of.index]?.name ?? of.sheet;
    // Empty sheets are left out, unless the workbook holds nothing else (then it is said, as for an empty file).
    if (sheet.kind === 'empty' && !(onlyEmpty && sheet === seen[0])) continue;
    // An areas sheet is used by the caller; the others are named in a note, as files in a folder are (a named empty workbook is read, to say so).
    const noted = sheet.kind === 'areas' || (sheet.kind === 'empty' && named) ? {} : { fromFolder: true };
    // A copy is not read: it is noted (as a sheet of a folder's workbook is), whether or not the workbook was named.
    out.push({ source: reshapeSheet(sheet.source, { encoding, ...noted }), kind: sheet.kind, missing: sheet.missing });
  }
  return out;
}

/** A header that names personnummer (as headers.ts prefers such a column for the pupil id). */
const PERSONNUMMER_HEADER = /personnummer|personnr|pnr|samordningsnummer/;

/** An export sheet's header row and its width: up to its last cell with a value. */
function sheetHeader(record: TextRecord): SheetHeader {
  let width = record.fields.length;
  while (width > 0 && (record.fields[width - 1] ?? '').trim() === '') width--;
  return { row: record.line, width: Math.max(width, 1) };
}

/** 7–9 digits given their leading zero(s) back, when that makes a personnummer or samordningsnummer (the date decides, not the check digit); else null. */
function restoreDate(digits: string): string | null {
  const padded = digits.padStart(10, '0');
  // 2099: a two-digit year 00–99 is then 2000–2099, so 29 February 2000 (and 2004 …) is a date.
  const id = normalisePupilId(padded, 2099);
  if (id === null || id.kind === 'opaque') return null;
  // 7 or 8 digits would be a pupil born in 2000: rare in a school's exports, and an id system's own
  // short numbers (1231234) are dates as easily; those need the check digit too (found by review).
  if (digits.length < 9 && !hasValidCheckDigit(id)) return null;
  return padded;
}

/**
 * Whether a pupil-id column whose header does not name personnummer ("Elev-ID") holds them, from
 * all its cells: most of its ids that are not numbers of 7–9 digits are personnummer (a mixed
 * cohort: born 2010 and later, 10 digits even as a number), or nine in ten of its numbers of 7–9
 * digits become personnummer with a valid check digit when given their zero(s) back (all born
 * 2000–2009). An id system of its own (9-digit numbers that are no dates) is neither.
 */
async function holdsPersonnummer(cells: AsyncIterable<IdCell>): Promise<boolean> {
  let others = 0;
  let otherPersonnummer = 0;
  let short = 0;
  let shortValid = 0;
  for await (const { value, number } of cells) {
    if (number && /^\d{7,9}$/.test(value)) {
      short++;
      const id = normalisePupilId(value.padStart(10, '0'), 2099);
      if (id !== null && id.kind !== 'opaque' && hasValidCheckDigit(id)) shortValid++;
      continue;
    }
    const id = normalisePupilId(value, 2099);
    if (id === null) continue;
    others++;
    if (id.kind !== 'opaque') otherPersonnummer++;
  }
  return (others > 0 && otherPersonnummer * 2 > others) || (short > 0 && shortValid * 10 >= short * 9);
}

/**
 * The pupil-id column of an export sheet, whatever its header: a number of 7–9 digits there may
 * be a personnummer whose leading zero(s) Excel dropped (0901011234 typed as a number is
 * 901011234). When the column holds personnummer (its header says so, or its cells do: see
 * holdsPersonnummer, decided once from the whole column), such a number is given its zero(s) back
 * when that makes a personnummer or samordningsnummer; otherwise it is read as it is, and counted
 * (read/xlsx.ts). The same digits always get the same answer, so one pupil is never split.
 */
function pupilIdColumn(headerRecord: TextRecord, column: number | undefined): IdColumn | undefined {
  if (column === undefined) return undefined;
  const named = PERSONNUMMER_HEADER.test(fold(headerRecord.fields[column] ?? ''));
  let rule: Promise<(digits: string) => string | null> | undefined;
  return {
    column,
    headerRow: headerRecord.line,
    rule: (cells) => (rule ??= named ? Promise.resolve(restoreDate) : holdsPersonnummer(cells).then((holds) => (holds ? restoreDate : () => null))),
  };
}

/** Whether two sheets' first records are the same (so their whole content may be). */
function sameRecords(a: readonly TextRecord[], b: readonly TextRecord[]): boolean {
  return a.length === b.length && a.every((record, i) => record.line === b[i]?.line && record.fields.length === b[i]?.fields.length && record.fields.every((field, j) => field === b[i]?.fields[j]));
}

/** SHA-256 of a sheet's rows as CSV. */
async function sheetHash(source: InputSource, header: SheetHeader | undefined): Promise<string> {
  const part = source.sheet;
  const hash = createHash('sha256');
  if (part === undefined) return hash.digest('hex');
  try {
    for await (const chunk of sheetCsv(part.file, part.sheet, { header })) hash.update(chunk);
  } catch (error) {
    if (error instanceof XlsxError) throw new InputError(MESSAGES.workbookUnreadable(part.workbook.file, error.problem, error.detail));
    throw describeFsError(error, source.name);
  }
  return hash.digest('hex');
}

/** Workbooks seen among the inputs, to tell the same workbook given twice (or a copy of it) from a new one. */
class WorkbookIdentities {
  private readonly files = new Set<string>();
  private readonly bySize = new Map<number, string[]>();

  /** Whether the workbook at `path` is one seen before (the same file, or the same bytes); remembers it. */
  async repeats(path: string): Promise<boolean> {
    const info = await stat(path).catch(() => null);
    if (info === null) return false;
    const id = `${info.dev}:${info.ino}`;
    if (this.files.has(id)) return true;
    this.files.add(id);
    const mates = this.bySize.get(info.size) ?? [];
    const hash = mates.length > 0 ? await sha256(path) : null;
    for (const mate of mates) if (hash !== null && (await sha256(mate)) === hash) return true;
    mates.push(path);
    this.bySize.set(info.size, mates);
    return false;
  }
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The message for a named file that is not an export (a folder's such files are skipped instead). */
export function notAnExport(source: InputSource, kind: SourceKind): InputError {
  if (kind === 'own_output') return new InputError(MESSAGES.ownOutputNamed(source.name));
  if (kind === 'empty') return new InputError(MESSAGES.emptyFile(source.name));
  return new InputError(MESSAGES.notAnExport(source.name));
}

