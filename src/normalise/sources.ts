/**
 * What each input is, told by its header before it is read: an export, an areas file (Skola;
 * Skolområde) kept in the same folder, a report this tool wrote earlier (its CSV columns are its
 * signature), or some other table. Only exports are read as exports; the rest are used or skipped
 * with a one-line note, so a folder can be given as the user keeps it.
 */
import type { Config } from '../config.js';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import type { InputSource, SkippedFile } from '../read/inputs.js';
import { readFirstRecords, spreadsheetKind, type SpreadsheetKind } from '../read/records.js';
import type { Encoding } from '../read/decode.js';
import { areaColumns } from './areas.js';
import { mapHeaders, type Field } from './headers.js';

export type SourceKind = 'export' | 'areas' | 'own_output' | 'not_export' | 'empty' | 'excel';

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

function classifyHeader(headers: readonly string[], config: Config, constantFields: ReadonlySet<string>): { kind: SourceKind; missing: Field[] } {
  if (isOwnOutput(headers)) return { kind: 'own_output', missing: [] };
  const columns = mapHeaders(headers.map((header) => header.trim()), config.columns ?? {}).columns;
  const missing = REQUIRED.filter((field) => columns[field] === undefined && !constantFields.has(field));
  if (missing.length === 0) return { kind: 'export', missing };
  if (areaColumns(headers) !== null) return { kind: 'areas', missing };
  return { kind: 'not_export', missing };
}

export interface SortedSource {
  source: InputSource;
  kind: SourceKind;
  missing: Field[];
}

/** A note about an input that is not read as an export. */
export interface InputNote {
  file: string;
  reason: SkippedFile['reason'] | 'own_output' | 'areas_used' | 'areas_skipped' | 'not_export' | 'empty' | 'same_file' | 'copy';
  /** For not_export: the export columns it lacks. */
  missing?: Field[];
  /** For same_file and copy: the input it repeats. */
  of?: string;
}

/** Peek at each source's header and say what it is. stdin is always an export. */
export async function sortSources(sources: readonly InputSource[], config: Config, encoding: Encoding | undefined, constantsFor: (file: string) => ReadonlySet<string>): Promise<SortedSource[]> {
  const out: SortedSource[] = [];
  for (const source of sources) {
    if (!source.path) {
      out.push({ source, kind: 'export', missing: [] });
      continue;
    }
    // A workbook (.xlsx, .xls, .ods, whatever its name) is told by its first bytes and not read as text.
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
      if (!source.fromFolder) throw new InputError(MESSAGES.spreadsheet(source.name, workbook.kind));
      out.push({ source, kind: 'excel', missing: [] });
      continue;
    }
    const [first] = records;
    if (first === undefined) {
      out.push({ source, kind: 'empty', missing: [] });
      continue;
    }
    // The header may sit below a title: the first record that names an export's columns.
    const constants = constantsFor(source.name);
    const kinds = records.map((record) => classifyHeader(record.fields, config, constants));
    out.push({ source, ...(kinds.find((kind) => kind.kind === 'export') ?? kinds[0] ?? classifyHeader(first.fields, config, constants)) });
  }
  return out;
}

/** The message for a named file that is not an export (a folder's such files are skipped instead). */
export function notAnExport(source: InputSource, kind: SourceKind): InputError {
  if (kind === 'own_output') return new InputError(MESSAGES.ownOutputNamed(source.name));
  if (kind === 'empty') return new InputError(MESSAGES.emptyFile(source.name));
  return new InputError(MESSAGES.notAnExport(source.name));
}

