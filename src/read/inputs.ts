/**
 * Input sources: files, directories (their .csv/.txt/.tsv files, sorted) and `-` for stdin.
 * Every problem with a path becomes a one-line InputError before any row is read. Other files in
 * a folder (a README, a PDF, an Excel file) are not read: each is named in `skipped` with why.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';

/** Control characters in a file name shown as visible stand-ins (a name can hold ESC too). */
function printable(path: string): string {
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c.charCodeAt(0) < 0x20 ? String.fromCharCode(0x2400 + c.charCodeAt(0)) : '\ufffd'));
}

/** A file in an input folder that is not read, and why. */
export interface SkippedFile {
  file: string;
  reason: 'not_a_table' | 'excel' | 'hidden' | 'not_a_file' | 'folder';
}

export interface InputSource {
  /** As the user wrote it (or as found in a directory), made safe to print; used in every message. */
  name: string;
  /** The path to open (null or absent for stdin and in-memory sources). */
  path?: string | null;
  /** Found in a folder given on the command line (not named by the user). */
  fromFolder?: boolean;
  /** Size in bytes when known (files), for progress. */
  size?: number;
  open(): AsyncIterable<Uint8Array>;
}

const TABLE_FILE = /\.(csv|txt|tsv)$/i;
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
  if (/\.(xlsx|xlsm|xls|ods|numbers)$/i.test(name)) return 'excel';
  return TABLE_FILE.test(name) ? null : 'not_a_table';
}

/** Resolve the command line's inputs; all path errors are found before reading starts. */
export async function resolveInputs(paths: readonly string[], stdin: AsyncIterable<Uint8Array>): Promise<InputSource[]> {
  return (await resolveInputFiles(paths, stdin)).sources;
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
        sources.push(fileSource(file, size, true));
      }
      if (tables === 0) {
        const excel = skipped.some((s) => s.reason === 'excel');
        throw new InputError(MESSAGES.folderWithoutTables(printable(path), excel));
      }
    } else {
      sources.push(fileSource(path, info.size, false));
    }
  }
  return { sources, skipped };
}
