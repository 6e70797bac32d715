/**
 * The config file (`--config ska.config.json`): what the built-in aliases miss. JSON with
 * line and block comments and trailing commas allowed, as `ska-analyze init` writes it, read by
 * jsonc-parser. A syntax error names the file, line and column (`ska.config.json:12:5: not valid
 * JSON (…)`); the content is validated with zod and every problem becomes one line naming its
 * place and key, e.g.
 *   ska.config.json:3:5: columns.student_id: expected a string (the header) or an array of strings
 */
import { readFile } from 'node:fs/promises';
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { InputError, describeFsError } from './errors.js';
import { literal, MESSAGES, type Message } from './messages.js';
import { FIELDS, type Field } from './normalise/headers.js';
import { containsPersonalId } from './normalise/pupil-id.js';
import { normaliseSchoolYear } from './normalise/school-year.js';
import { normaliseGender, normaliseGradeLevel, normaliseKind } from './normalise/values.js';

const fieldSchema = z.enum(FIELDS);

/** Fields a config may set for a whole file (`files`): not the pupil or their results. */
const CONSTANT_FIELDS = ['school', 'area', 'class', 'grade_level', 'school_year', 'subject', 'gender', 'teacher', 'kind'] as const satisfies readonly Field[];

function oneOrMany(message: string) {
  return z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: message });
}

const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Field → the exact header in your export, or a list of them (exports name fields differently). */
    columns: z.partialRecord(fieldSchema, oneOrMany('expected a string (the header) or an array of strings')).optional(),
    /** Subject name or code in your export → Skolverket code. */
    subjects: z.record(z.string(), z.string().min(1)).optional(),
    /** Value of the kind column → grade / test / assessment. */
    kinds: z.record(z.string(), z.enum(['grade', 'test', 'assessment'])).optional(),
    /** School → area. */
    areas: z.record(z.string(), z.string().min(1)).optional(),
    min_group: z.number().int().min(1).optional(),
    /** Dimensions, as --by takes them: the built-in ones and background columns. */
    by: z.array(z.string().min(1)).min(1).optional(),
    /**
     * Background columns (`--by nyanländ`): key (as --by takes it) → the headers your exports use
     * for it, a name for the reports, and what its cells mean (cell → category; "" a blank cell).
     * A key of a usual factor (nyanland, modersmal, …) adds to its headers.
     */
    background: z
      .record(
        z.string().min(1),
        z
          .object({
            columns: oneOrMany('expected a string (the header) or an array of strings').optional(),
            label: z.string().min(1).optional(),
            values: z.record(z.string(), z.string()).optional(),
          })
          .strict(),
      )
      .optional(),
    /** Background columns the standardised gap is adjusted for (gap), besides those in `by`. */
    adjust_for: z.array(z.string().min(1)).min(1).optional(),
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
    /**
     * Reference files for `gap --reference`: Skolverket statistics exports or an earlier gap JSON.
     * Relative paths are relative to the config file's folder (loadConfig resolves them).
     */
    reference: oneOrMany('expected a string (a file) or an array of strings').optional(),
    /** Which unit in the reference file to compare with: Riket, a kommun name or code. */
    reference_unit: z.string().min(1).optional(),
    /**
     * Values for whole files, by file-name pattern (`*` and `?`, case-insensitive, the base name):
     * e.g. { "omdomen*.csv": { "grade_level": 5 } } for an export whose rows carry no årskurs.
     * Always wins over a column of the same field in those files.
     */
    files: z
      .record(
        z.string().min(1),
        z
          .partialRecord(z.enum(CONSTANT_FIELDS), z.union([z.string().min(1), z.number()], { error: 'expected a value (text or a number)' }))
          .refine((values) => Object.keys(values).length > 0, { message: 'give at least one field, e.g. { "grade_level": 5 }' }),
      )
      .optional(),
  })
  .strict()
  .superRefine((config, context) => {
    // A value that will be printed as a group label must not be a personnummer.
    const labels: [string[], unknown][] = [
      ...Object.entries(config.areas ?? {}).flatMap(([school, area]) => [[['areas', school], school], [['areas', school], area]] as [string[], unknown][]),
      ...Object.entries(config.background ?? {}).flatMap(([key, entry]) => [
        [['background', key], key] as [string[], unknown],
        [['background', key, 'label'], entry.label] as [string[], unknown],
        ...Object.entries(entry.values ?? {}).map(([from, to]) => [['background', key, 'values', from], to] as [string[], unknown]),
      ]),
      ...Object.entries(config.files ?? {}).flatMap(([pattern, values]) => Object.entries(values).map(([field, value]) => [['files', pattern, field], value] as [string[], unknown])),
    ];
    for (const [path, value] of labels) {
      if (typeof value === 'string' && containsPersonalId(value)) context.addIssue({ code: 'custom', message: 'looks like a personnummer; a label must not be one', path });
    }
    // A value for a whole file must mean something: a grade level 1–9, a school year, a gender, a kind.
    for (const [pattern, values] of Object.entries(config.files ?? {})) {
      const check = (field: string, ok: boolean, what: string) => {
        if (!ok) context.addIssue({ code: 'custom', message: `not ${what}`, path: ['files', pattern, field] });
      };
      if (values.grade_level !== undefined) check('grade_level', normaliseGradeLevel(String(values.grade_level)) !== null && /^\s*\d{1,2}\s*$/.test(String(values.grade_level)), 'a grade level 1–9');
      if (values.school_year !== undefined) check('school_year', normaliseSchoolYear(String(values.school_year)) !== null, 'a school year (e.g. 2024/25, VT25)');
      if (values.gender !== undefined) check('gender', normaliseGender(String(values.gender)) !== null, 'a gender (Flicka/Pojke, F/P)');
      if (values.kind !== undefined) check('kind', normaliseKind(String(values.kind)) !== null, 'a kind of result (betyg, provbetyg, bedömning)');
    }
  });

export type Config = z.infer<typeof configSchema>;

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  const column = before.length - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

/** jsonc-parser's error codes in words. */

/** Where a zod issue's key is in the file (its property, or the value), for line:column. */
function issueOffset(tree: Node | undefined, issue: z.core.$ZodIssue): number | null {
  if (!tree) return null;
  const path = issue.path.map((part) => (typeof part === 'number' ? part : String(part)));
  // An unknown key: point at that key, not at the object holding it.
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  for (let length = path.length; length >= 0; length--) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (!node) continue;
    if (length === path.length && keys.length > 0 && node.type === 'object') {
      const property = node.children?.find((child) => child.children?.[0]?.value === keys[0]);
      if (property) return property.offset;
    }
    return node.parent?.type === 'property' ? node.parent.offset : node.offset;
  }
  return null;
}

/** Turn zod issues into one line each, naming where (line:column when the text is known) and the key; Swedish from zod's Swedish locale and the schema's own messages translated. */
function describeConfigIssues(file: string, issues: { en: readonly z.core.$ZodIssue[]; sv: readonly z.core.$ZodIssue[] }, text?: string): Message {
  const tree = text === undefined ? undefined : parseTree(text, [], { allowTrailingComma: true });
  const lines = (lang: 'sv' | 'en') =>
    issues.en
      .map((issue, i) => {
        // A key that is a personnummer is not repeated in the message (its place is).
        const path = issue.path.length > 0 ? issue.path.map((part) => (containsPersonalId(String(part)) ? '[personnummer]' : String(part))).join('.') : MESSAGES.topLevel()[lang];
        const offset = text === undefined ? null : issueOffset(tree, issue);
        const message = lang === 'en' ? issue.message : (MESSAGES.configIssue[issue.message] ?? issues.sv[i]?.message ?? issue.message);
        return `${file}${offset === null || text === undefined ? '' : `:${lineColumn(text, offset)}`}: ${path}: ${message}`;
      })
      .join('\n');
  return { sv: lines('sv'), en: lines('en') };
}

/**
 * The config file's text → a checked config. JSON with line and block comments and trailing
 * commas (jsonc-parser); a syntax error names the first problem's line and column; every other
 * problem is one line naming its line, column and key.
 */
export function parseConfig(file: string, text: string): Config {
  const errors: ParseError[] = [];
  const parsed: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  const first = errors[0];
  if (first !== undefined) {
    const code = printParseErrorCode(first.error);
    throw new InputError(MESSAGES.configNotJson(`${file}:${lineColumn(text, first.offset)}`, MESSAGES.configSyntax[code] ?? literal(code)));
  }
  const result = configSchema.safeParse(parsed);
  if (!result.success) {
    const swedish = configSchema.safeParse(parsed, { error: z.locales.sv().localeError });
    throw new InputError(describeConfigIssues(file, { en: result.error.issues, sv: swedish.error?.issues ?? [] }, text));
  }
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
  const config = parseConfig(file, text.replace(/^\uFEFF/, ''));
  // Reference paths are written relative to the config file (so the folder can move as a whole);
  // callers get them relative to the working directory, usable as they are.
  if (config.reference !== undefined) {
    const resolve = (path: string) => (isAbsolute(path) ? path : join(dirname(file), path));
    config.reference = typeof config.reference === 'string' ? resolve(config.reference) : config.reference.map(resolve);
  }
  return config;
}
