/**
 * Options, declared once and parsed once. Each group is what several commands share (reading,
 * grouping, the år 5 → 6 link, reference figures, --fail-on): it declares its flags on a commander
 * command, with their help in the run's language (`t` picks Swedish or English), and gives the
 * zod shape that turns commander's raw values (strings, booleans, lists) into typed values, with
 * the one-line messages a user sees (exit 2). A command's own schema is its groups' shapes and its
 * own flags; `parseOptions` runs it, so a command receives typed options and never parses a flag
 * itself.
 */
import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import { MESSAGES, type Message, type Translate } from '../messages.js';
import type { LinkOptions, SideKind } from '../analysis/transition.js';
import type { Condition } from '../analysis/thresholds.js';
import { parseConditions } from '../analysis/thresholds.js';
import { parseSchoolYears } from '../normalise/school-year.js';
import { ENCODING_NAMES, type Encoding } from '../read/decode.js';
import type { Lang } from '../render/format.js';
import { resolveColumns, type ColumnName } from '../render/text-table.js';
import { KNOWN_BACKGROUND_NAMES } from '../normalise/background.js';
import { DIMENSIONS, type BuiltinDimension, type Dimension } from '../types.js';

// ---------------------------------------------------------------------------------------------
// Value parsers (the messages are part of the interface: tests and the README quote them)

export function parseEncoding(value: string | undefined): Encoding | undefined {
  if (value === undefined) return undefined;
  const encoding = ENCODING_NAMES[value.toLowerCase()];
  if (!encoding) throw new UsageError(MESSAGES.unknownEncoding(value));
  return encoding;
}

/**
 * --by's Swedish names (as the column headings read), each also without å/ä/ö (`arskurs`, `amne`),
 * beside the English keys.
 */
const SWEDISH_DIMENSIONS: Readonly<Record<string, BuiltinDimension>> = {
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

const DIMENSION_WORDS: ReadonlyMap<string, BuiltinDimension> = new Map([
  ...DIMENSIONS.map((dim): [string, BuiltinDimension] => [dim, dim]),
  ...Object.entries(SWEDISH_DIMENSIONS).map(([word, dim]): [string, BuiltinDimension] => [dimensionWord(word), dim]),
]);

/** Each dimension's Swedish name (the first in SWEDISH_DIMENSIONS: `skolområde`, not `område`). */
const SWEDISH_NAME: ReadonlyMap<Dimension, string> = new Map(
  Object.entries(SWEDISH_DIMENSIONS)
    .reverse()
    .map(([word, dim]): [Dimension, string] => [dim, word]),
);

/** A list of words as --by and --adjust-for take them: comma-separated, each trimmed, each once. */
export function parseWords(value: string): string[] {
  return [...new Set(value.split(',').map((part) => part.trim()).filter((part) => part !== ''))];
}

/** Dimensions as --by takes them, for help: `läsår,årskurs,skola` in Swedish, `school_year,grade_level,school` in English. */
function dimensionList(dims: readonly Dimension[], separator = ','): Message {
  return { sv: dims.map((dim) => SWEDISH_NAME.get(dim) ?? dim).join(separator), en: dims.join(separator) };
}

/** A built-in dimension by its English key or Swedish name (`skola`, `amne`), or undefined. */
export function builtinDimension(word: string): BuiltinDimension | undefined {
  return DIMENSION_WORDS.get(dimensionWord(word.trim()));
}

/** The --by words a user may give, for messages: Swedish names, and English keys. */
export function dimensionNames(): { sv: string; en: string } {
  return { sv: Object.keys(SWEDISH_DIMENSIONS).join(', '), en: DIMENSIONS.join(', ') };
}

/**
 * `--by skola,ämne,nyanländ` or `--by school,subject` (mixed too): the built-in dimensions as
 * their keys and any other word as given (a background column, resolved once the config and the
 * exports' headers are known: commands/shared.ts), in the order given, each once.
 */
function parseBy(value: string): string[] {
  const words = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (words.length === 0) throw new UsageError(MESSAGES.unknownDimension('', Object.keys(SWEDISH_DIMENSIONS).join(', '), DIMENSIONS.join(', ')));
  const dims: string[] = [];
  for (const word of words) {
    const dim = builtinDimension(word) ?? word;
    if (!dims.includes(dim)) dims.push(dim);
  }
  return dims;
}

export function parsePositiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new UsageError(MESSAGES.notWholeNumber(name, value));
  return number;
}

function parseProbability(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.replace(',', '.'));
  if (!(number > 0 && number < 1)) throw new UsageError(MESSAGES.notProbability(name, value));
  return number;
}

/** --format and --excel: --excel means CSV and cannot be combined with another --format. */
function parseOutputFormat<F extends string>(value: string | undefined, excel: boolean, formats: readonly F[], fallback: F): F {
  if (excel && value !== undefined && value !== 'csv') throw new UsageError(MESSAGES.excelWithFormat(value));
  const text = value ?? (excel ? 'csv' : fallback);
  const format = formats.find((candidate) => candidate === text);
  if (!format) throw new UsageError(MESSAGES.unknownFormat(formats, text));
  return format;
}

/** Parse --fail-on before any file is read. */
export function parseFailOn(text: string | undefined, keys: readonly string[]): Condition[] | null {
  if (text === undefined) return null;
  try {
    return parseConditions(text, keys);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(MESSAGES.failOn(error.text, /\d,\d/.test(text)));
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
  if (!kind) throw new UsageError(MESSAGES.unknownKind(name, value));
  return kind;
}

function parseLevel(name: string, value: string | undefined, fallback: number): number {
  const level = parsePositiveInt(name, value, fallback);
  if (level > 9) throw new UsageError(MESSAGES.notGradeLevel(name, level));
  return level;
}

/** --from, --to, --from-kind, --to-kind and --attribute-to, checked together. */
export function parseLink(raw: { from?: string | undefined; to?: string | undefined; fromKind?: string | undefined; toKind?: string | undefined; attributeTo?: string | undefined }): LinkOptions {
  const fromLevel = parseLevel('--from', raw.from, 5);
  const toLevel = parseLevel('--to', raw.to, 6);
  if (toLevel <= fromLevel) throw new UsageError(MESSAGES.toBeforeFrom(toLevel, fromLevel));
  const fromKind = parseKind('--from-kind', raw.fromKind, fromLevel <= 5 ? 'assessment' : 'grade');
  const toKind = parseKind('--to-kind', raw.toKind, 'test');
  const attributeTo = raw.attributeTo ?? 'from';
  if (attributeTo !== 'from' && attributeTo !== 'to') throw new UsageError(MESSAGES.unknownAttribution(attributeTo));
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
  /** Declare the flags, their help in the run's language (`t`). */
  declare(command: Command, t: Translate): Command;
  shape: Shape;
}

function group<Shape extends z.ZodRawShape>(declare: (command: Command, t: Translate) => Command, shape: Shape): OptionGroup<Shape> {
  return { declare, shape };
}

/** `--output`'s help (the analysis commands and report). */
const OUTPUT_HELP: Message = {
  sv: 'skriv rapporten till FIL (via en tillfällig fil som sedan byter namn; aldrig över en indatafil); - för stdout',
  en: 'write the report to FILE (through a temporary file and a rename; never onto an input); - for stdout',
};

/** `--encoding`'s help (every command that reads exports). */
export const ENCODING_HELP: Message = {
  sv: 'tvinga indatans teckenkodning: utf-8, windows-1252, latin1, utf-16le, macintosh (standard: upptäcks)',
  en: 'force the input encoding: utf-8, windows-1252, latin1, utf-16le, macintosh (default: detected)',
};

/** Reading the exports: every analysis command. */
export const reading = group(
  (command, t) =>
    command
      .option('--config <file>', t({ sv: 'konfigurationsfil (ska.config.json): kolumnnamn, ämnen, skolområden, skalor', en: 'config file (ska.config.json): column names, subjects, areas, scales' }))
      .option('--areas <file>', t({ sv: 'CSV- eller .xlsx-fil som kopplar skola → skolområde (kolumnerna Skola och Skolområde)', en: 'CSV or .xlsx file mapping school → area (columns Skola and Skolområde)' }))
      .option('--encoding <name>', t(ENCODING_HELP))
      .option(
        '--school-years <range>',
        t({
          sv: 'bara dessa läsår, t.ex. 2023/24, 2022/23-2023/24, ..2023/24 (rader från andra läsår räknas för sig, de avvisas inte)',
          en: 'only these school years, e.g. 2023/24, 2022/23-2023/24, ..2023/24 (rows of other years are counted apart, not rejected)',
        }),
      )
      .option('-q, --quiet', t({ sv: 'ingen radredovisning på stderr', en: 'no row accounting on stderr' }))
      .option(
        '--threads <n>',
        t({
          sv: `trådar att läsa en stor export med (standard: datorns kärnor, ${availableParallelism()}); siffrorna blir desamma med alla antal`,
          en: `threads to read a big export with (default: the cores this machine has, ${availableParallelism()}); the figures are the same for any number`,
        }),
      ),
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

/** Where the report goes and in which language (also the language of the messages and the help: cli.ts). */
export const output = group(
  (command, t) =>
    command
      .addOption(new Option('--lang <lang>', t({ sv: 'språk för rapporten, meddelandena och hjälpen', en: 'language of the report, the messages and this help' })).choices(['sv', 'en']).default('sv'))
      .option('-o, --output <file>', t(OUTPUT_HELP)),
  {
    lang: z.enum(['sv', 'en']).optional().transform((value): Lang => value ?? 'sv'),
    output: text.transform((value) => (value === '-' ? undefined : value)),
  },
);

/** -o only (report is written in Swedish only, so it has no --lang). */
export const outputSwedish = group((command, t) => command.option('-o, --output <file>', t(OUTPUT_HELP)), {
  output: text.transform((value) => (value === '-' ? undefined : value)),
});

/** Grouping (`byHelp` null: no --by), minimum group size, significance and suppression. */
export function grouping(byHelp: Message | null, minGroupHelp: Message, alphaHelp: Message) {
  return group(
    (command, t) =>
      (byHelp === null ? command : command.option('--by <dims>', t(byHelp)))
        .option('--min-group <n>', t(minGroupHelp))
        .option(
          '--small-groups-only',
          t({
            sv: 'internt bruk: dölj bara grupper under --min-group, ingen sekundär maskering (aldrig för publicering)',
            en: 'internal use: hide only groups below --min-group, no complementary hiding (never for publication)',
          }),
        )
        .option('--alpha <p>', t(alphaHelp)),
    {
      /** undefined: the config's `by`, else the command's default. Built-in dimensions by key, other words as given (background columns). */
      by: text.transform((value) => (value === undefined ? undefined : parseBy(value))),
      /** undefined: the config's `min_group`, else 10. */
      minGroup: positiveInt('--min-group'),
      smallGroupsOnly: flag,
      alpha: text.transform((value) => parseProbability('--alpha', value, 0.05)),
    },
  );
}

/**
 * --by's help: "group by, comma-separated: <every dimension but `left out`>, or a background column
 * (…) (default: <fallback>)".
 */
export function byHelp(dims: readonly Dimension[], fallback: readonly Dimension[], lead: Message = { sv: 'gruppera efter, kommaseparerat', en: 'group by, comma-separated' }): Message {
  const all = dimensionList(dims, ', ');
  const standard = dimensionList(fallback);
  const usual = { sv: KNOWN_BACKGROUND_NAMES.map((name) => name.sv).join(', '), en: KNOWN_BACKGROUND_NAMES.map((name) => name.en).join(', ') };
  return {
    sv: `${lead.sv}: ${all.sv} (eller ${all.en}), eller en bakgrundskolumn i exporterna: ${usual.sv} eller kolumnens rubrik; varje grupp visas då för varje värde och för alla (standard: ${standard.sv})`,
    en: `${lead.en}: ${all.en}, or a background column of the exports: ${usual.en} or the column's header; every group is then shown for each value and for all (default: ${standard.en})`,
  };
}

/** --adjust-for (gap): background columns the standardised gap is adjusted for, without grouping by them. */
export const ADJUST_FOR_HELP: Message = {
  sv: 'bakgrundskolumner (kommaseparerade, som i --by) som den standardiserade skillnaden också justeras för, utan att grupperna delas upp efter dem: std_gap_adjusted jämför varje grupp med vad resten av kommunen ger elever med samma provbetyg och samma bakgrund (standard: bakgrundskolumnerna i --by, konfigurationens "adjust_for")',
  en: 'background columns (comma-separated, as in --by) to adjust the standardised gap for as well, without splitting the groups by them: std_gap_adjusted compares each group with what the rest of the municipality gives pupils with the same test grade and the same background (default: the background columns in --by, config "adjust_for")',
};

/** --flag-scale: the scale of the differences the funnel flags and the comparison with the rest use (gap, trend, report). */
export const flagging = group(
  (command, t) =>
    command.addOption(
      new Option(
        '--flag-scale <scale>',
        t({
          sv: 'vad trattens flaggor mäter: points (betygspoäng, A=20 … E=10, F=0: ett steg över gränsen för godkänt väger 4 gånger så mycket som andra steg) eller steps (alla betygssteg lika)',
          en: 'what the flags measure: points (grade points, A=20 … E=10, F=0: a step across the pass bar weighs 4 times any other) or steps (every grade step alike)',
        }),
      )
        .choices(['points', 'steps'])
        .default('points'),
    ),
  { flagScale: z.enum(['points', 'steps']).optional().transform((value) => value ?? 'points') },
);

/** --streak: springs in a row in the same direction that make a pattern (trend, report). */
export const streak = group(
  (command, t) => command.option('--streak <n>', t({ sv: 'vårar i rad i samma riktning som utgör ett mönster (standard 3)', en: 'springs in a row in the same direction that make a pattern (default 3)' })),
  {
    streak: text.transform((value) => parsePositiveInt('--streak', value, 3)),
  },
);

/** Which results the år 5 → 6 link joins (transition, trend, report); `prefix` names the analysis (trend, report). */
export function linking(prefix: string) {
  return group(
    (command, t) =>
      command
        .option('--from <level>', `${prefix}${t({ sv: 'årskurs för den tidigare bedömningen (standard 5)', en: 'grade level of the earlier assessment (default 5)' })}`)
        .option('--to <level>', `${prefix}${t({ sv: 'årskurs för det senare resultatet (standard 6); länkas till läsåret + (to − from)', en: 'grade level of the later result (default 6); linked to school year + (to − from)' })}`)
        .option(
          '--from-kind <kind>',
          `${prefix}${t({ sv: 'assessment, grade eller test (bedömning, betyg, provbetyg; standard: assessment till och med åk 5, annars grade)', en: 'assessment, grade or test (default: assessment up to år 5, else grade)' })}`,
        )
        .option('--to-kind <kind>', `${prefix}${t({ sv: 'assessment, grade eller test (standard: test)', en: 'assessment, grade or test (default: test)' })}`)
        .addOption(
          new Option(
            '--attribute-to <side>',
            `${prefix}${t({ sv: 'räkna eleverna under skolan och skolområdet för det tidigare (from) eller det senare (to) resultatet', en: 'count pupils under the school and area of the earlier (from) or later (to) result' })}`,
          ).choices(['from', 'to']),
        ),
    { from: text, to: text, fromKind: text, toKind: text, attributeTo: text },
  );
}

/** Published reference figures or an earlier gap JSON (gap, report). */
export const references = group(
  (command, t) =>
    command
      .addOption(
        new Option(
          '--reference <file>',
          t({
            sv: 'kan upprepas; väljs efter innehåll. En JSON-fil (en tidigare körning av "gap --format json"): standardisera mot dess betygsstandard i stället för kommunens egen (högst en). Annan fil: publicerade siffror (Skolverkets statistikexport som den laddades ned, eller en egen tabell) som visas bredvid varje grupp som bättre / sämre / i linje',
            en: 'repeatable; chosen by content. A JSON file (an earlier "gap --format json" run): standardise against its grading standard instead of the municipality\'s own (at most one). Any other file: published figures (Skolverket\'s statistics export as downloaded, or a hand-typed table) shown beside every group as better / worse / in line',
          }),
        )
          .argParser((value: string, previous: string[]) => [...previous, value])
          .default([] as string[], t({ sv: 'konfigurationens "reference"', en: 'config "reference"' })),
      )
      .option(
        '--reference-unit <name>',
        t({
          sv: 'enheten i de publicerade siffrorna att jämföra med: Riket, en kommuns eller skolas namn eller kod, eller en kommaseparerad lista (liknande kommuner); flera rader (t.ex. en kommuns skolor) slås ihop (standard: konfigurationens "reference_unit", annars Riket, annars alla enheter i filen)',
          en: 'unit of the published figures to compare with: Riket, a kommun or school name or code, or a comma-separated list (similar municipalities); several rows (e.g. a kommun\'s schools) are pooled (default: config "reference_unit", else Riket, else every unit in the file)',
        }),
      )
      .option(
        '--reference-provider <type>',
        t({
          sv: 'Typ av huvudman i de publicerade siffrorna: Samtliga, Kommunal eller Enskild (standard: Samtliga där filen har det)',
          en: 'Typ av huvudman of the published figures: Samtliga, Kommunal or Enskild (default: Samtliga where the file has it)',
        }),
      ),
  { reference: list, referenceUnit: text, referenceProvider: text },
);

/** --format (and --excel where CSV is one of the formats): `resolve` gives the format asked for. */
export function formats<F extends string>(choices: readonly [F, ...F[]], fallback: F, excel: boolean) {
  return {
    declare(command: Command, t: Translate): Command {
      command.addOption(new Option('--format <format>', t({ sv: 'utdataformat', en: 'output format' })).choices(choices));
      return excel ? command.option('--excel', t({ sv: 'CSV för svenska Excel: semikolon, decimalkomma, BOM (innebär --format csv)', en: 'CSV for Swedish Excel: semicolons, decimal commas, BOM (implies --format csv)' })) : command;
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
    declare: (command: Command, t: Translate): Command =>
      command
        .option(
          '--wide',
          t({
            sv: 'tabellformat: alla kolumner, hur bred tabellen än blir (standard: kolumnerna som läses först, anpassade till terminalens bredd)',
            en: "table format: every column, however wide the table gets (default: the columns read first, fitted to the terminal's width)",
          }),
        )
        .option(
          '--columns <keys>',
          t({
            sv: `tabellformat: bara dessa kolumner, kommaseparerade, i tabellens ordning: ${names.map((c) => c.key).join(', ')} (de svenska rubrikerna fungerar också, t.ex. Medeldiff)`,
            en: `table format: just these columns, comma-separated, in the table's order: ${names.map((c) => c.key).join(', ')} (the Swedish headings work too, e.g. Medeldiff)`,
          }),
        ),
    shape: { wide: flag, columns: text },
    /** The keys --columns names (null: not given); an unknown one is a UsageError listing the keys. */
    resolve(raw: { wide: boolean; columns?: string | undefined; lang: Lang }): string[] | null {
      if (raw.columns === undefined) return null;
      if (raw.wide) throw new UsageError(MESSAGES.wideAndColumns());
      const { keys: chosen, unknown } = resolveColumns(raw.columns, names);
      if (unknown.length > 0 || chosen.length === 0) throw new UsageError(MESSAGES.unknownColumn(unknown, names.map((c) => c.key).join(', ')));
      return chosen;
    },
  };
}

/** Turn commander's raw options into a command's typed options, or a one-line usage error (zod's words in Swedish or English). */
export function parseOptions<T extends z.ZodType>(schema: T, raw: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined) throw new UsageError(MESSAGES.invalidValue());
  const flagName = `--${String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const swedish = schema.safeParse(raw, { error: z.locales.sv().localeError }).error?.issues[0]?.message ?? issue.message;
  throw new UsageError(MESSAGES.badOptionValue(flagName, { sv: swedish, en: issue.message }));
}
