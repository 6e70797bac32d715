/**
 * The config file (`--config ska.config.json`): what the built-in aliases miss. Validated with
 * zod; every problem becomes one line naming the key, e.g.
 *   ska.config.json: columns.student_id: expected a string
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { InputError, describeFsError } from './errors.js';
import { FIELDS } from './normalise/headers.js';
import { DIMENSIONS } from './types.js';

const fieldSchema = z.enum(FIELDS);

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Field → the exact header in your export. */
    columns: z.partialRecord(fieldSchema, z.string().min(1)).optional(),
    /** Subject name or code in your export → Skolverket code. */
    subjects: z.record(z.string(), z.string().min(1)).optional(),
    /** Value of the kind column → grade / test / assessment. */
    kinds: z.record(z.string(), z.enum(['grade', 'test', 'assessment'])).optional(),
    /** School → area. */
    areas: z.record(z.string(), z.string().min(1)).optional(),
    min_group: z.number().int().min(1).optional(),
    by: z.array(z.enum(DIMENSIONS)).min(1).optional(),
    /** An ordinal omdöme scale: labels lowest first, which pass, which mean "missing". */
    assessment_scale: z
      .object({
        labels: z.array(z.string().min(1)).min(2),
        passing: z.array(z.string().min(1)).min(1),
        missing: z.array(z.string()).optional(),
      })
      .strict()
      .refine((scale) => scale.passing.every((label) => scale.labels.includes(label)), {
        message: 'every passing label must be one of labels',
        path: ['passing'],
      })
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Turn zod issues into one line each, naming the key. */
export function describeConfigIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(top level)';
      return `${file}: ${path}: ${issue.message}`;
    })
    .join('\n');
}

export function parseConfig(file: string, text: string): Config {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`${file}: not valid JSON (${message})`);
  }
  const result = configSchema.safeParse(json);
  if (!result.success) throw new InputError(describeConfigIssues(file, result.error));
  return result.data;
}

export async function loadConfig(file: string | undefined): Promise<Config> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw describeFsError(error, file);
  }
  return parseConfig(file, text.replace(/^\uFEFF/, ''));
}
