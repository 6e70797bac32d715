/**
 * Input sources: files, directories (their .csv/.txt/.tsv/.xlsx files, sorted) and `-` for stdin.
 * Every problem with a path becomes a one-line InputError before any row is read. Other files in
 * a folder (a README, a PDF, an old .xls) are not read: each is named in `skipped` with why.
 *
 * An Excel workbook (told by its bytes, whatever its name) becomes one source per visible
 * worksheet, named `file.xlsx!Sheet`, whose bytes are the sheet as CSV (read/xlsx.ts): line N is
 * row N of the sheet. Hidden sheets are not read (named in `skipped`). Which sheets hold an export
 * is decided with the other inputs, by their headers (normalise/sources.ts).
 */
import { createReadStream } from 'node:fs';
import { open as openFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { readFirstRecords, spreadsheetKind, type SpreadsheetKind, type TextRecord } from './records.js';
import { emptyStats, XlsxError, type SheetStats } from './workbook.js';
import { isEncryptedPackage, listSheets, sheetCsv } from './xlsx-lazy.js';
import type { IdColumn, SheetHeader, SheetState } from './xlsx.js';
import type { Encoding } from './decode.js';

/** Control characters in a file name shown as visible stand-ins (a name can hold ESC too). */
function printable(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + c.charCodeAt(0)) : '\ufffd'));
}

/** A file in an input folder that is not read, and why. */
export interface SkippedFile {
  file: string;
  /** excel: a spreadsheet format that is not read (.xls, .ods, .numbers); workbook_unreadable: an .xlsx that cannot be opened (broken, or saved with a password). */
  reason: 'not_a_table' | 'excel' | 'workbook_unreadable' | 'hidden' | 'hidden_sheet' | 'not_a_file' | 'folder';
}

export interface InputSource {
  /** As the user wrote it (or as found in a directory), made safe to print; used in every message. */
  name: string;
  /** The path to open (null or absent for stdin and in-memory sources). */
  path?: string | null;
  /** Found in a folder given on the command line (not named by the user). */
  fromFolder?: boolean;
  /**
   * Size in bytes when known (files), for progress. Never set for a worksheet: its bytes are
   * made as it is read (and a big file is only read by threads when its size is known).
   */
  size?: number;
  /** A worksheet of an Excel workbook: open() gives its rows as CSV. */
  sheet?: SheetPart;
  open(): AsyncIterable<Uint8Array>;
}

/** What is done with a worksheet: read as an export, used as the areas file, or why not (copy: the same content as an earlier export sheet, read once). */
export type SheetUse = 'read' | 'areas' | 'not_export' | 'empty' | 'own_output' | 'hidden' | 'repeat' | 'copy';

/** An Excel workbook among the inputs: its sheets, in tab order, and what was done with each. */
interface Workbook {
  /** The workbook's path as given or found, made safe to print. */
  file: string;
  /** `of`: for a copy, the earlier sheet with the same content. */
  sheets: { name: string; state: SheetState; use?: SheetUse; of?: string }[];
}

/** A worksheet as an input source. */
interface SheetPart {
  workbook: Workbook;
  /** Its place in `workbook.sheets`. */
  index: number;
  /** The sheet's name, as in the workbook. */
  sheet: string;
  /** The workbook's path (also when `path` of the source is null). */
  file: string;
  /** What the CSV changed (line breaks in cells, ids given back their zero), after the last full read. */
  stats: SheetStats;
  idColumn?: IdColumn | undefined;
  /** An export sheet's header row: rows from it on are as wide as the header. */
  header?: SheetHeader | undefined;
  encoding?: Encoding | undefined;
}

const TABLE_FILE = /\.(csv|txt|tsv|xlsx|xlsm)$/i;
const CHUNK_SIZE = 1 << 20;

function fileSource(path: string, size: number | undefined, fromFolder: boolean): InputSource {
  return {
    name: printable(path),
    path,
    fromFolder,
    ...(size === undefined ? {} : { size }),
    open: () => createReadStream(path, { highWaterMark: CHUNK_SIZE }),
  };
}

/** A worksheet as a source (see SheetPart); `path` null keeps it apart from the workbook's other sheets. */
function sheetSource(part: SheetPart, fromFolder: boolean, path: string | null): InputSource {
  return {
    name: `${part.workbook.file}!${printable(part.sheet)}`,
    path,
    fromFolder,
    sheet: part,
    open: () => sheetCsv(part.file, part.sheet, { stats: part.stats, idColumn: part.idColumn, header: part.header, encoding: part.encoding }),
  };
}

/**
 * The same worksheet source with other settings: its pupil-id column (for ids Excel stripped of
 * their leading zero), its header row, the encoding every input is forced into, whether it was
 * named, its path.
 * Counts start afresh.
 */
export function reshapeSheet(
  source: InputSource,
  change: { idColumn?: IdColumn | undefined; header?: SheetHeader | undefined; encoding?: Encoding | undefined; fromFolder?: boolean; path?: string | null },
): InputSource {
  const part = source.sheet;
  if (part === undefined) return source;
  const next: SheetPart = { ...part, stats: emptyStats(), idColumn: change.idColumn ?? part.idColumn, header: change.header ?? part.header, encoding: change.encoding ?? part.encoding };
  return sheetSource(next, change.fromFolder ?? source.fromFolder ?? false, change.path === undefined ? (source.path ?? null) : change.path);
}

/** What the first bytes of a regular file say it is when it is a workbook (null: a text file, or unreadable here). */
async function workbookKind(path: string): Promise<SpreadsheetKind | null> {
  let handle;
  try {
    handle = await openFile(path, 'r');
    const head = Buffer.alloc(256);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return spreadsheetKind(head.subarray(0, bytesRead));
  } catch {
    return null; // read as a text file, where the error is described as usual
  } finally {
    await handle?.close();
  }
}

/** Whether a compound file (told by its first bytes) is a workbook saved with a password; false when it cannot be read here. */
async function encrypted(path: string): Promise<boolean> {
  return isEncryptedPackage(path).catch(() => false);
}

/** A workbook's worksheets as sources (visible ones), and its hidden sheets as skipped. Throws XlsxError for a broken workbook. */
async function workbookSources(path: string, fromFolder: boolean): Promise<{ sources: InputSource[]; hidden: SkippedFile[]; workbook: Workbook }> {
  const sheets = await listSheets(path);
  const workbook: Workbook = { file: printable(path), sheets: sheets.map((sheet) => ({ name: printable(sheet.name), state: sheet.state })) };
  const sources: InputSource[] = [];
  const hidden: SkippedFile[] = [];
  sheets.forEach((sheet, i) => {
    if (sheet.state !== 'visible') {
      const entry = workbook.sheets[i];
      if (entry) entry.use = 'hidden';
      hidden.push({ file: `${workbook.file}!${printable(sheet.name)}`, reason: 'hidden_sheet' });
      return;
    }
    sources.push(sheetSource({ workbook, index: i, sheet: sheet.name, file: path, stats: emptyStats() }, fromFolder, path));
  });
  return { sources, hidden, workbook };
}

/** Filled cells in the first records of a table: how much of a table a sheet holds (an info sheet holds little). */
export function filledCells(records: readonly TextRecord[]): number {
  return records.reduce((sum, record) => sum + record.fields.filter((field) => field.trim() !== '').length, 0);
}

/** The first records of a source, as the exports are read. */
export async function firstRecords(source: InputSource): Promise<TextRecord[]> {
  try {
    return await readFirstRecords(source.open());
  } catch (error) {
    if (error instanceof XlsxError) throw new InputError(MESSAGES.workbookUnreadable(source.sheet?.workbook.file ?? source.name, error.problem, error.detail));
    throw describeFsError(error, source.name);
  }
}

/** @internal (also used by tests) */
export function stdinSource(stream: AsyncIterable<Uint8Array>): InputSource {
  return { name: '<stdin>', path: null, fromFolder: false, open: () => stream };
}

export interface ResolvedInputs {
  sources: InputSource[];
  /** Files in input folders that are not read (not CSV, Excel, hidden), sorted. */
  skipped: SkippedFile[];
}

/** Why a file found in a folder is not a table to read, or null when it is one. */
function skipReason(name: string): SkippedFile['reason'] | null {
  if (name.startsWith('.') || name.startsWith('~$')) return 'hidden';
  if (/\.(xls|xlsb|ods|numbers)$/i.test(name)) return 'excel';
  return TABLE_FILE.test(name) ? null : 'not_a_table';
}

/**
 * Resolve the command line's inputs; all path errors are found before reading starts. A workbook
 * gives one sheet here (for --areas): the visible sheet whose first rows hold the most filled
 * cells, so a title or info sheet in front of the table is passed over.
 */
export async function resolveInputs(paths: readonly string[], stdin: AsyncIterable<Uint8Array>): Promise<InputSource[]> {
  const { sources } = await resolveInputFiles(paths, stdin);
  const out: InputSource[] = [];
  for (let i = 0; i < sources.length; ) {
    const source = sources[i] as InputSource;
    const workbook = source.sheet?.workbook;
    let end = i + 1;
    while (workbook !== undefined && end < sources.length && sources[end]?.sheet?.workbook === workbook) end++;
    if (workbook === undefined || end - i === 1) out.push(source);
    else {
      let best = source;
      let most = -1;
      for (const sheet of sources.slice(i, end)) {
        const filled = filledCells(await firstRecords(sheet));
        if (filled > most) {
          best = sheet;
          most = filled;
        }
      }
      out.push(best);
    }
    i = end;
  }
  return out;
}

/** resolveInputs, and the files in folders that are not read. */
export async function resolveInputFiles(paths: readonly string[], stdin: AsyncIterable<Uint8Array>): Promise<ResolvedInputs> {
  if (paths.length === 0) throw new InputError(MESSAGES.noInputs());
  const sources: InputSource[] = [];
  const skipped: SkippedFile[] = [];
  let stdinUsed = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinUsed) throw new InputError(MESSAGES.stdinTwice());
      stdinUsed = true;
      sources.push(stdinSource(stdin));
      continue;
    }
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      throw describeFsError(error, path);
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).sort();
      let tables = 0;
      for (const name of names) {
        const file = join(path, name);
        const found = await stat(file).catch(() => null);
        let reason = found?.isDirectory() ? 'folder' : skipReason(name);
        let size: number | undefined;
        if (reason === null) {
          if (found === null || !found.isFile()) reason = 'not_a_file';
          else size = found.size;
        }
        if (reason !== null) {
          skipped.push({ file: printable(file), reason });
          continue;
        }
        tables++;
        const kind = await workbookKind(file);
        if (kind === 'xls' && (await encrypted(file))) {
          skipped.push({ file: printable(file), reason: 'workbook_unreadable' });
          continue;
        }
        if (kind === 'xlsx') {
          // A workbook that cannot be opened is skipped like any other file that is not read.
          const expanded = await workbookSources(file, true).catch((error: unknown) => {
            if (error instanceof XlsxError) return null;
            throw describeFsError(error, printable(file));
          });
          if (expanded === null) skipped.push({ file: printable(file), reason: 'workbook_unreadable' });
          else if (expanded.sources.length === 0) skipped.push({ file: printable(file), reason: 'excel' });
          if (expanded !== null) {
            sources.push(...expanded.sources);
            skipped.push(...expanded.hidden);
          }
          continue;
        }
        sources.push(fileSource(file, size, true));
      }
      if (tables === 0) {
        const unread = skipped.some((s) => s.reason === 'excel');
        throw new InputError(MESSAGES.folderWithoutReadableTables(printable(path), unread));
      }
    } else if (info.isFile() && (await workbookKind(path)) === 'xls' && (await encrypted(path))) {
      throw new InputError(MESSAGES.workbookEncrypted(printable(path)));
    } else if (info.isFile() && (await workbookKind(path)) === 'xlsx') {
      let expanded;
      try {
        expanded = await workbookSources(path, false);
      } catch (error) {
        if (error instanceof XlsxError) throw new InputError(MESSAGES.workbookUnreadable(printable(path), error.problem, error.detail));
        throw describeFsError(error, printable(path));
      }
      if (expanded.sources.length === 0) throw new InputError(MESSAGES.workbookWithoutSheets(printable(path), expanded.hidden.length));
      sources.push(...expanded.sources);
      skipped.push(...expanded.hidden);
    } else {
      sources.push(fileSource(path, info.size, false));
    }
  }
  return { sources, skipped };
}
