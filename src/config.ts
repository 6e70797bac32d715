/**
 * The config file (`--config ska.config.json`): what the built-in aliases miss. JSON with
 * line and block comments and trailing commas allowed, as `ska-analyze init` writes it. A syntax
 * error names the file, line and column (`ska.config.json:12:5: not valid JSON (…)`); the content
 * is validated with zod and every problem becomes one line naming the key, e.g.
 *   ska.config.json: columns.student_id: expected a string (the header) or an array of strings
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { InputError, describeFsError } from './errors.js';
import { FIELDS, type Field } from './normalise/headers.js';
import { containsPersonalId } from './normalise/pupil-id.js';
import { DIMENSIONS } from './types.js';

const fieldSchema = z.enum(FIELDS);

/** Fields a config may set for a whole file (`files`): not the pupil or their results. */
export const CONSTANT_FIELDS = ['school', 'area', 'class', 'grade_level', 'school_year', 'subject', 'gender', 'teacher', 'kind'] as const satisfies readonly Field[];

function oneOrMany(message: string) {
  return z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: message });
}

export const configSchema = z
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
      ...Object.entries(config.files ?? {}).flatMap(([pattern, values]) => Object.entries(values).map(([field, value]) => [['files', pattern, field], value] as [string[], unknown])),
    ];
    for (const [path, value] of labels) {
      if (typeof value === 'string' && containsPersonalId(value)) context.addIssue({ code: 'custom', message: 'looks like a personnummer; a label must not be one', path });
    }
  });

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

/**
 * JSON with comments → JSON: line comments (`//` to the end of the line), block comments (from
 * slash-star to star-slash) and trailing commas (before `}` or `]`) become spaces, outside strings only (`"http://x"` and `"a\\"b"` stay as they are). Newlines
 * are kept and every character replaced one for one, so a position in the result is the same line
 * and column in the original. An unterminated block comment is left alone for JSON.parse to report.
 */
export function stripJsonComments(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n' && out[i] !== '\r') out[i] = ' ';
  };
  /** The last comma outside strings that follows a value and has had only space and comments after it. */
  let pendingComma = -1;
  /** The last character outside comments and space (a string counts as `"`). */
  let last = '';
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? '';
    if (char === '"') {
      pendingComma = -1;
      last = '"';
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (char === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (char === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) break;
      blank(i, end + 2);
      i = end + 2;
    } else {
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') {
        if ((char === '}' || char === ']') && pendingComma >= 0) out[pendingComma] = ' ';
        pendingComma = char === ',' && last !== '' && !'{[,:'.includes(last) ? i : -1;
        last = char;
      }
      i++;
    }
  }
  return out.join('');
}

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  const column = before.length - (before.lastIndexOf('\n') + 1) + 1;
  return `${line}:${column}`;
}

/**
 * Where JSON.parse stopped. V8 names the position in most messages ("… in JSON at position 7");
 * for the others ("Unexpected token 'x', "…" is not valid JSON", "Unexpected end of JSON input")
 * a small scan finds the first character that cannot be JSON.
 */
function errorOffset(text: string, message: string): number {
  const stated = /at position (\d+)/.exec(message);
  if (stated) return Number(stated[1]);
  return firstSyntaxError(text);
}

/** Offset of the first character where `text` stops being JSON (text.length if it ends too soon). */
function firstSyntaxError(text: string): number {
  let i = 0;
  class Stop {
    constructor(readonly at: number) {}
  }
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const expect = (char: string) => {
    if (text[i] !== char) throw new Stop(i);
    i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length) throw new Stop(i);
      const char = text[i] ?? '';
      if (char === '"') return void i++;
      if (char < ' ') throw new Stop(i);
      if (char === '\\') {
        const next = text[i + 1] ?? '';
        if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else throw new Stop(i + 1);
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const char = text[i];
    if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === '}') {
          space();
          string();
          space();
          expect(':');
        }
        value();
        space();
        if (text[i] === ',') i++;
        else return expect(close);
      }
    }
    if (char === '"') return string();
    const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    literal.lastIndex = i;
    if (!literal.test(text)) throw new Stop(i);
    i = literal.lastIndex;
  };
  try {
    value();
    space();
    if (i < text.length) throw new Stop(i);
  } catch (error) {
    if (error instanceof Stop) return error.at;
    throw error;
  }
  return text.length;
}

export function parseConfig(file: string, text: string): Config {
  const json = stripJsonComments(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The reason without V8's position and without its quote of the file's text.
    const reason = message
      .replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '')
      .replace(/\s*in JSON at position \d+.*$/s, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new InputError(`${file}:${lineColumn(json, errorOffset(json, message))}: not valid JSON (${reason})`);
  }
  const result = configSchema.safeParse(parsed);
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
  const config = parseConfig(file, text.replace(/^\uFEFF/, ''));
  // Reference paths are written relative to the config file (so the folder can move as a whole);
  // callers get them relative to the working directory, usable as they are.
  if (config.reference !== undefined) {
    const resolve = (path: string) => (isAbsolute(path) ? path : join(dirname(file), path));
    config.reference = typeof config.reference === 'string' ? resolve(config.reference) : config.reference.map(resolve);
  }
  return config;
}
