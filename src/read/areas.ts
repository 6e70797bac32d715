/**
 * The school → area mapping (`--areas skolomraden.csv`): any delimiter and encoding the exports
 * may have, a school column and an area column recognised by the same header aliases.
 */
import { InputError, describeFsError } from '../errors.js';
import { mapHeaders } from '../normalise/headers.js';
import { fold, tidy } from '../normalise/text.js';
import { CsvParser } from './csv.js';
import { decodeChunks, type DecodeInfo } from './decode.js';
import type { InputSource } from './inputs.js';

export async function readAreaMapping(source: InputSource): Promise<Map<string, string>> {
  const mapping = new Map<string, string>();
  let columns: { school: number; area: number } | null = null;
  const problems: string[] = [];
  const parser = new CsvParser((fields, line) => {
    if (columns === null) {
      const found = mapHeaders(fields.map((field) => field.trim())).columns;
      if (found.school === undefined || found.area === undefined) {
        throw new InputError(`${source.name}:${line}: the area mapping needs a school column (Skola) and an area column (Skolområde)`);
      }
      columns = { school: found.school, area: found.area };
      return;
    }
    const school = tidy(fields[columns.school] ?? '');
    const area = tidy(fields[columns.area] ?? '');
    if (school === '' || area === '') {
      problems.push(`${source.name}:${line}`);
      return;
    }
    const key = fold(school);
    const known = mapping.get(key);
    if (known !== undefined && known !== area) throw new InputError(`${source.name}:${line}: ${school} is mapped to both ${known} and ${area}`);
    mapping.set(key, area);
  });
  const info: DecodeInfo = { encoding: 'ascii', bom: false, replaced: false };
  try {
    for await (const text of decodeChunks(source.open(), undefined, info)) parser.push(text);
    parser.end();
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw describeFsError(error, source.name);
  }
  if (columns === null) throw new InputError(`${source.name}: the file is empty (no header line)`);
  if (problems.length > 0) throw new InputError(`${problems[0]}: a school or area is blank in the area mapping (${problems.length} line${problems.length > 1 ? 's' : ''})`);
  return mapping;
}

/** Config `areas` and the mapping file together; the file wins where both name a school. */
export function mergeAreas(fromConfig: Readonly<Record<string, string>> | undefined, fromFile: ReadonlyMap<string, string> | null): Map<string, string> {
  const merged = new Map<string, string>();
  for (const [school, area] of Object.entries(fromConfig ?? {})) merged.set(fold(school), tidy(area));
  if (fromFile) for (const [school, area] of fromFile) merged.set(school, area);
  return merged;
}
