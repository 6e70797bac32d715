/**
 * `gap --reference FILE`: the grading standard to standardise against, instead of the
 * municipality's own. FILE is the JSON report of an earlier `ska-analyze gap --format json` run
 * (last year's, or one made from similar municipalities' exports), or any JSON of that shape:
 * its total rows (`level: "total"`) give, per grade level and subject, the A–F × A–F table of
 * teacher grade against test grade; its girls' and boys' total rows (when it was run with gender
 * in --by) give the tables girls and boys are compared with. Several school years are pooled.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, describeFsError } from '../errors.js';
import { MESSAGES } from '../messages.js';
import { firstIssue } from './json-issue.js';
import { GRADE_LETTERS } from '../types.js';

const letter = z.enum(GRADE_LETTERS);
const rowSchema = z
  .object({
    level: z.string(),
    grade_level: z.union([z.number(), z.string(), z.null()]).optional(),
    subject: z.union([z.string(), z.null()]).optional(),
    gender: z.union([z.string(), z.null()]).optional(),
    matrix: z.union([z.record(letter, z.record(letter, z.number().min(0))), z.null()]).optional(),
  })
  .loose();
const referenceSchema = z.object({ rows: z.array(rowSchema) }).loose();

/** Key of a reference table: grade level and subject, and the gender for a girls' or boys' table. */
export function referenceKey(gradeLevel: unknown, subject: unknown, gender: unknown = null): string {
  const base = `${String(gradeLevel)}\u0001${String(subject)}`;
  return gender === null || gender === undefined ? base : `${base}\u0001${String(gender)}`;
}

export async function readGapReference(file: string): Promise<Map<string, Float64Array>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw describeFsError(error, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new InputError(MESSAGES.gapReferenceNotJson(file, error instanceof Error ? error.message : String(error)));
  }
  const parsed = referenceSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(MESSAGES.gapReferenceShape(file, firstIssue(referenceSchema, json, parsed.error.issues) ?? MESSAGES.notAGapReport()));
  }
  const tables = new Map<string, Float64Array>();
  for (const row of parsed.data.rows) {
    if (row.level !== 'total' || !row.matrix) continue;
    if (row.grade_level === undefined || row.grade_level === null || row.subject === undefined || row.subject === null) continue;
    const key = referenceKey(row.grade_level, row.subject, row.gender ?? null);
    let counts = tables.get(key);
    if (!counts) tables.set(key, (counts = new Float64Array(36)));
    for (let g = 0; g < 6; g++) {
      for (let t = 0; t < 6; t++) counts[g * 6 + t]! += row.matrix[GRADE_LETTERS[g] ?? 'F']?.[GRADE_LETTERS[t] ?? 'F'] ?? 0;
    }
  }
  if (![...tables.keys()].some((key) => key.split('\u0001').length === 2)) throw new InputError(MESSAGES.gapReferenceNoTotals(file));
  return tables;
}
