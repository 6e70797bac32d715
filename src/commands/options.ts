/**
 * Options, declared once and parsed once. Each group is what several commands share (reading,
 * grouping, the år 5 → 6 link, reference figures, --fail-on): it declares its flags on a commander
 * command and gives the zod shape that turns commander's raw values (strings, booleans, lists)
 * into typed values, with the one-line messages a user sees (exit 2). A command's own schema is
 * its groups' shapes and its own flags; `parseOptions` runs it, so a command receives typed
 * options and never parses a flag itself.
 */
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { LinkOptions, SideKind } from '../analysis/transition.js';
import type { Condition } from '../analysis/thresholds.js';
import { parseConditions } from '../analysis/thresholds.js';
import { parseSchoolYears } from '../normalise/school-year.js';
import { ENCODING_NAMES, type Encoding } from '../read/decode.js';
import type { Lang } from '../render/format.js';
import { resolveColumns, type ColumnName } from '../render/text-table.js';
import { DIMENSIONS, type Dimension } from '../types.js';

// ---------------------------------------------------------------------------------------------
// Value parsers (the messages are part of the interface: tests and the README quote them)

export function parseEncoding(value: string | undefined): Encoding | undefined {
  if (value === undefined) return undefined;
  const encoding = ENCODING_NAMES[value.toLowerCase()];
  if (!encoding) throw new UsageError(`--encoding: unknown encoding "${value}" (use utf-8, windows-1252, latin1 or utf-16le)`);
  return encoding;
}

/**
 * --by's Swedish names (as the column headings read), each also without å/ä/ö (`arskurs`, `amne`),
 * beside the English keys.
 */
const SWEDISH_DIMENSIONS: Readonly<Record<string, Dimension>> = {
  läsår: 'school_year',
  årskurs: 'grade_level',
  skolområde: 'area',
  område: 'area',
  skola: 'school',
  klass: 'class',
  ämne: 'subject',
  kön: 'gender',
  lärare: 'teacher',
};

/** A --by word as compared: lower case, å/ä → a, ö → o. */
function dimensionWord(text: string): string {
  return text.toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o');
}

const DIMENSION_WORDS: ReadonlyMap<string, Dimension> = new Map([
  ...DIMENSIONS.map((dim): [string, Dimension] => [dim, dim]),
  ...Object.entries(SWEDISH_DIMENSIONS).map(([word, dim]): [string, Dimension] => [dimensionWord(word), dim]),
]);

/** `--by skola,ämne` or `--by school,subject` (mixed too): the dimensions, in the order given. */
function parseBy(value: string | undefined, fallback: readonly Dimension[]): Dimension[] {
  if (value === undefined) return [...fallback];
  const words = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const bad = words.filter((word) => !DIMENSION_WORDS.has(dimensionWord(word)));
  if (bad.length > 0 || words.length === 0) {
    const what = bad.join(', ') || '(none)';
    const swedish = Object.keys(SWEDISH_DIMENSIONS).join(', ');
    throw new UsageError({
      sv: `--by: okänd indelning ${what}; välj bland ${swedish} (eller ${DIMENSIONS.join(', ')})`,
      en: `--by: unknown dimension ${what}; choose from ${DIMENSIONS.join(', ')} (or in Swedish: ${swedish})`,
    });
  }
  const dims: Dimension[] = [];
  for (const word of words) {
    const dim = DIMENSION_WORDS.get(dimensionWord(word));
    if (dim !== undefined && !dims.includes(dim)) dims.push(dim);
  }
  return dims;
}

export function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(`${name}: expected a whole number of at least 1, got "${value}"`);
  return number;
}

function parseProbability(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.replace(',', '.'));
  if (!(number > 0 && number < 1)) throw new UsageError(`${name}: expected a number between 0 and 1, got "${value}"`);
  return number;
}

/** --format and --excel: --excel means CSV and cannot be combined with another --format. */
function parseOutputFormat<F extends string>(value: string | undefined, excel: boolean, formats: readonly F[], fallback: F): F {
  if (excel && value !== undefined && value !== 'csv') throw new UsageError(`--excel writes CSV; it cannot be combined with --format ${value}`);
  const text = value ?? (excel ? 'csv' : fallback);
  const format = formats.find((candidate) => candidate === text);
  if (!format) throw new UsageError(`--format: use ${formats.join(', ')}, not "${text}"`);
  return format;
}

/** Parse --fail-on before any file is read. */
export function parseFailOn(text: string | undefined, keys: readonly string[]): Condition[] | null {
  if (text === undefined) return null;
  try {
    return parseConditions(text, keys);
  } catch (error) {
    const hint = /\d,\d/.test(text) ? ' (write decimals with a point: share_higher>0.25; commas separate conditions)' : '';
    throw new UsageError(`--fail-on: ${error instanceof Error ? error.message : String(error)}${hint}`);
  }
}

const SIDE_KINDS: Readonly<Record<string, SideKind>> = {
  assessment: 'assessment',
  bedomning: 'assessment',
  'bedömning': 'assessment',
  omdome: 'assessment',
  'omdöme': 'assessment',
  grade: 'grade',
  betyg: 'grade',
  test: 'test',
  provbetyg: 'test',
  np: 'test',
};

function parseKind(name: string, value: string | undefined, fallback: SideKind): SideKind {
  if (value === undefined) return fallback;
  const kind = SIDE_KINDS[value.toLowerCase()];
  if (!kind) throw new UsageError(`${name}: use assessment, grade or test, not "${value}"`);
  return kind;
}

function parseLevel(name: string, value: string | undefined, fallback: number): number {
  const level = parsePositiveInt(name, value, fallback);
  if (level > 9) throw new UsageError(`${name}: a grade level is 1–9, not ${level}`);
  return level;
}

/** --from, --to, --from-kind, --to-kind and --attribute-to, checked together. */
export function parseLink(raw: { from?: string | undefined; to?: string | undefined; fromKind?: string | undefined; toKind?: string | undefined; attributeTo?: string | undefined }): LinkOptions {
  const fromLevel = parseLevel('--from', raw.from, 5);
  const toLevel = parseLevel('--to', raw.to, 6);
  if (toLevel <= fromLevel) throw new UsageError(`--to (${toLevel}) must be a later grade level than --from (${fromLevel})`);
  const fromKind = parseKind('--from-kind', raw.fromKind, fromLevel <= 5 ? 'assessment' : 'grade');
  const toKind = parseKind('--to-kind', raw.toKind, 'test');
  const attributeTo = raw.attributeTo ?? 'from';
  if (attributeTo !== 'from' && attributeTo !== 'to') throw new UsageError(`--attribute-to: use from or to, not "${attributeTo}"`);
  return { fromLevel, toLevel, fromKind, toKind, attributeTo };
}

// ---------------------------------------------------------------------------------------------
// Zod building blocks

const text = z.string().optional();
const flag = z.boolean().optional().transform((value) => value === true);
/** A repeatable option (commander collects it into a list); a config may give one string. */
const list = z.array(z.string()).optional().transform((value) => value ?? []);

function positiveInt(name: string) {
  return text.transform((value) => (value === undefined ? undefined : parsePositiveInt(name, value, 1)));
}

// ---------------------------------------------------------------------------------------------
// Groups

export interface OptionGroup<Shape extends z.ZodRawShape> {
  declare(command: Command): Command;
  shape: Shape;
}

function group<Shape extends z.ZodRawShape>(declare: (command: Command) => Command, shape: Shape): OptionGroup<Shape> {
  return { declare, shape };
}

/** Reading the exports: every analysis command. */
export const reading = group(
  (command) =>
    command
      .option('--config <file>', 'config file (ska.config.json): column names, subjects, areas, scales')
      .option('--areas <file>', 'CSV mapping school → area (columns Skola;Skolområde)')
      .option('--encoding <name>', 'force the input encoding: utf-8, windows-1252, latin1, utf-16le, macintosh (default: detected)')
      .option('--school-years <range>', 'only these school years, e.g. 2023/24, 2022/23-2023/24, ..2023/24 (rows of other years are counted apart, not rejected)')
      .option('-q, --quiet', 'no row accounting on stderr')
      .option('--threads <n>', `threads to read a big export with (default: the cores this machine has, ${availableParallelism()}); the figures are the same for any number`),
  {
    config: text,
    areas: text,
    encoding: text.transform(parseEncoding),
    /** The selection and the text it was given as (meta records the canonical label). */
    schoolYears: text.transform((value) => (value === undefined ? undefined : parseSchoolYears(value))),
    quiet: flag,
    threads: text.transform((value) => parsePositiveInt('--threads', value, availableParallelism())),
  },
);

/** Where the report goes and in which language. */
export const output = group(
  (command) => command.addOption(new Option('--lang <lang>', 'language of the report').choices(['sv', 'en']).default('sv')).option('-o, --output <file>', 'write the report to FILE (through a temporary file and a rename; never onto an input); - for stdout'),
  {
    lang: z.enum(['sv', 'en']).optional().transform((value): Lang => value ?? 'sv'),
    output: text.transform((value) => (value === '-' ? undefined : value)),
  },
);

/** -o only (report is written in Swedish only, so it has no --lang). */
export const outputSwedish = group((command) => command.option('-o, --output <file>', 'write the report to FILE (through a temporary file and a rename; never onto an input); - for stdout'), {
  output: text.transform((value) => (value === '-' ? undefined : value)),
});

/** Grouping (`byHelp` null: no --by), minimum group size, significance and suppression. */
export function grouping(byHelp: string | null, minGroupHelp: string, alphaHelp: string) {
  return group(
    (command) =>
      (byHelp === null ? command : command.option('--by <dims>', byHelp))
        .option('--min-group <n>', minGroupHelp)
        .option('--small-groups-only', 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)')
        .option('--alpha <p>', alphaHelp),
    {
      /** undefined: the config's `by`, else the command's default. */
      by: text.transform((value) => (value === undefined ? undefined : parseBy(value, []))),
      /** undefined: the config's `min_group`, else 10. */
      minGroup: positiveInt('--min-group'),
      smallGroupsOnly: flag,
      alpha: text.transform((value) => parseProbability('--alpha', value, 0.05)),
    },
  );
}

/** --flag-scale: the scale of the differences the funnel flags and the comparison with the rest use (gap, trend, report). */
export const flagging = group(
  (command) =>
    command.addOption(
      new Option('--flag-scale <scale>', 'what the flags measure: points (grade points, A=20 … E=10, F=0: a step across the pass bar weighs 4 times any other) or steps (every grade step alike)').choices(['points', 'steps']).default('points'),
    ),
  { flagScale: z.enum(['points', 'steps']).optional().transform((value) => value ?? 'points') },
);

/** --streak: springs in a row in the same direction that make a pattern (trend, report). */
export const streak = group((command) => command.option('--streak <n>', 'springs in a row in the same direction that make a pattern (default 3)'), {
  streak: text.transform((value) => parsePositiveInt('--streak', value, 3)),
});

/** Which results the år 5 → 6 link joins (transition, trend, report). */
export function linking(prefix: string) {
  return group(
    (command) =>
      command
        .option('--from <level>', `${prefix}grade level of the earlier assessment (default 5)`)
        .option('--to <level>', `${prefix}grade level of the later result (default 6); linked to school year + (to − from)`)
        .option('--from-kind <kind>', `${prefix}assessment, grade or test (default: assessment up to år 5, else grade)`)
        .option('--to-kind <kind>', `${prefix}assessment, grade or test (default: test)`)
        .addOption(new Option('--attribute-to <side>', `${prefix}count pupils under the school and area of the earlier (from) or later (to) result`).choices(['from', 'to'])),
    { from: text, to: text, fromKind: text, toKind: text, attributeTo: text },
  );
}

/** Published reference figures or an earlier gap JSON (gap, report). */
export const references = group(
  (command) =>
    command
      .addOption(
        new Option(
          '--reference <file>',
          'repeatable; chosen by content. A JSON file (an earlier "gap --format json" run): standardise against its grading standard instead of the municipality\'s own (at most one). Any other file: published figures (Skolverket\'s statistics export as downloaded, or a hand-typed table) shown beside every group as better / worse / in line',
        )
          .argParser((value: string, previous: string[]) => [...previous, value])
          .default([] as string[], 'config "reference"'),
      )
      .option('--reference-unit <name>', 'unit of the published figures to compare with: Riket, a kommun or school name or code, or a comma-separated list (similar municipalities); several rows (e.g. a kommun\'s schools) are pooled (default: config "reference_unit", else Riket, else every unit in the file)')
      .option('--reference-provider <type>', 'Typ av huvudman of the published figures: Samtliga, Kommunal or Enskild (default: Samtliga where the file has it)'),
  { reference: list, referenceUnit: text, referenceProvider: text },
);

/** --format (and --excel where CSV is one of the formats): `resolve` gives the format asked for. */
export function formats<F extends string>(choices: readonly [F, ...F[]], fallback: F, excel: boolean) {
  return {
    declare(command: Command): Command {
      command.addOption(new Option('--format <format>', 'output format').choices(choices));
      return excel ? command.option('--excel', 'CSV for Swedish Excel: semicolons, decimal commas, BOM (implies --format csv)') : command;
    },
    shape: { format: text, excel: flag },
    resolve: (raw: { format?: string | undefined; excel: boolean }): F => parseOutputFormat<F>(raw.format, raw.excel, choices, fallback),
  };
}

/**
 * --wide and --columns: the terminal table's columns (gap, transition, trend). By default a table
 * shows the columns read first, fitted to the terminal (text-table.ts); a file written with -o,
 * JSON and CSV have every column whatever these say.
 */
export function tableColumns(names: readonly ColumnName[]) {
  return {
    declare: (command: Command): Command =>
      command
        .option('--wide', 'table format: every column, however wide the table gets (default: the columns read first, fitted to the terminal\'s width)')
        .option('--columns <keys>', `table format: just these columns, comma-separated, in the table's order: ${names.map((c) => c.key).join(', ')} (the Swedish headings work too, e.g. Medeldiff)`),
    shape: { wide: flag, columns: text },
    /** The keys --columns names (null: not given); an unknown one is a UsageError listing the keys. */
    resolve(raw: { wide: boolean; columns?: string | undefined; lang: Lang }): string[] | null {
      if (raw.columns === undefined) return null;
      const keys = names.map((c) => c.key).join(', ');
      if (raw.wide) throw new UsageError({ sv: '--wide och --columns går inte att kombinera: --wide visar alla kolumner', en: '--wide and --columns cannot be combined: --wide shows every column' });
      const { keys: chosen, unknown } = resolveColumns(raw.columns, names);
      if (unknown.length > 0 || chosen.length === 0) {
        const what = unknown.map((word) => `"${word}"`).join(', ') || '(ingen)';
        throw new UsageError({
          sv: `--columns: okänd kolumn ${what}; välj bland ${keys}`,
          en: `--columns: unknown column ${unknown.map((word) => `"${word}"`).join(', ') || '(none)'}; choose from ${keys}`,
        });
      }
      return chosen;
    },
  };
}

/** Turn commander's raw options into a command's typed options, or a one-line usage error. */
export function parseOptions<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flagName = issue ? `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'option';
  throw new UsageError(`${flagName}: ${issue?.message ?? 'invalid value'}`);
}
