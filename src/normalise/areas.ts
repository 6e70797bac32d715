/**
 * The school → area mapping (`--areas skolomraden.csv`, or an areas file found among the exports):
 * any delimiter and encoding the exports may have (read by the one read path), a school column and
 * an area column recognised by the same header aliases.
 */
import { InputError, describeFsError } from '../errors.js';
import type { InputSource } from '../read/inputs.js';
import { readTextTable, type TextTable } from '../read/records.js';
import { mapHeaders } from './headers.js';
import { containsPersonalId } from './pupil-id.js';
import { fold, tidy } from './text.js';
import { MESSAGES } from '../messages.js';

/** Columns of an areas file: a school and an area, and nothing that makes it an export. */
export function areaColumns(headers: readonly string[]): { school: number; area: number } | null {
  const found = mapHeaders(headers.map((header) => header.trim())).columns;
  if (found.school === undefined || found.area === undefined) return null;
  if (found.student_id !== undefined || found.grade !== undefined || found.test !== undefined || found.assessment !== undefined || found.value !== undefined) return null;
  return { school: found.school, area: found.area };
}

/** Read a source whole as text records (a small file). */
async function readTable(source: InputSource): Promise<TextTable> {
  try {
    return await readTextTable(source.open(), { expectFieldsFromFirst: true });
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw describeFsError(error, source.name);
  }
}

export async function readAreaMapping(source: InputSource): Promise<Map<string, string>> {
  return areaMappingOf(source.name, await readTable(source));
}

/** Records above the header (a title, a date) looked past for it. */
const PREAMBLE_LIMIT = 10;

function areaMappingOf(file: string, table: TextTable): Map<string, string> {
  const mapping = new Map<string, string>();
  // The header may sit below a title (as in a workbook's sheet): the first of the first records that names the two columns.
  const at = table.records.slice(0, PREAMBLE_LIMIT + 1).findIndex((record) => areaColumns(record.fields) !== null);
  const header = table.records[Math.max(at, 0)];
  const rows = table.records.slice(Math.max(at, 0) + 1);
  if (header === undefined) throw new InputError(MESSAGES.emptyFile(file));
  const columns = areaColumns(header.fields);
  if (columns === null) throw new InputError(MESSAGES.areasColumns(`${file}:${header.line}`));
  const problems: string[] = [];
  for (const { fields, line } of rows) {
    const school = tidy(fields[columns.school] ?? '');
    const area = tidy(fields[columns.area] ?? '');
    if (school === '' || area === '') {
      problems.push(`${file}:${line}`);
      continue;
    }
    if (containsPersonalId(school) || containsPersonalId(area)) throw new InputError(MESSAGES.areasPersonalId(`${file}:${line}`));
    const key = fold(school);
    const known = mapping.get(key);
    if (known !== undefined && known !== area) throw new InputError(MESSAGES.areasTwice(`${file}:${line}`, school, known, area));
    mapping.set(key, area);
  }
  if (table.brokenQuotes.length > 0) throw new InputError(MESSAGES.areasQuote(`${file}:${table.brokenQuotes[0]}`));
  if (problems.length > 0) throw new InputError(MESSAGES.areasBlank(String(problems[0]), problems.length));
  return mapping;
}

/** Config `areas` and the mapping file together; the file wins where both name a school. */
export function mergeAreas(fromConfig: Readonly<Record<string, string>> | undefined, fromFile: ReadonlyMap<string, string> | null): Map<string, string> {
  const merged = new Map<string, string>();
  for (const [school, area] of Object.entries(fromConfig ?? {})) merged.set(fold(school), tidy(area));
  if (fromFile) for (const [school, area] of fromFile) merged.set(school, area);
  return merged;
}
