/**
 * Every message a user reads outside the reports themselves (errors, warnings, notes on stderr,
 * commander's own errors), in Swedish and English, in one catalogue. A message is made where the
 * problem is found, with both texts, also where the language is not known (analysis, reading);
 * src/cli.ts and the commands print the one of the run's language (--lang, Swedish by default).
 * `Error.message` holds the English text (for SKA_DEBUG stack traces and tests); JSON output
 * keeps its English texts. Help texts are not here: each sits with the option it describes
 * (src/commands/), in both languages. The words of the reports and the row accounting are the
 * renderers' (src/render/).
 */
export type MessageLang = 'sv' | 'en';

export interface Message {
  readonly sv: string;
  readonly en: string;
}

/** The same text in both languages (a file name, a value, a message from elsewhere). */
export function literal(text: string): Message {
  return { sv: text, en: text };
}

/** Messages and plain strings joined, in each language. */
/** "a, b och c" / "a, b and c". */
function listed(items: readonly string[], and: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}

export function join(...parts: readonly (Message | string)[]): Message {
  return {
    sv: parts.map((part) => (typeof part === 'string' ? part : part.sv)).join(''),
    en: parts.map((part) => (typeof part === 'string' ? part : part.en)).join(''),
  };
}

export function say(message: Message | string, lang: MessageLang): string {
  return typeof message === 'string' ? message : message[lang];
}

/** Picks the run's language from a text given in both (help texts, declared with their options). */
export type Translate = (text: Message) => string;

export function translator(lang: MessageLang): Translate {
  return (text) => text[lang];
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** 1502 → "1 502" (no-break space) in Swedish, "1,502" in English, as the reports write counts. */
export function countText(n: number, lang: MessageLang): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'sv' ? '\u00a0' : ',');
}

/** The result kinds (--from-kind, --to-kind) in words. */
const KIND_WORDS: Readonly<Record<string, Message>> = {
  assessment: { sv: 'bedömning', en: 'assessment' },
  grade: { sv: 'betyg', en: 'grade' },
  test: { sv: 'provbetyg', en: 'test' },
};
const kindWord = (kind: string): Message => KIND_WORDS[kind] ?? literal(kind);

/** The year link of transition, trend and report (--from, --to and their kinds). */
interface LinkText {
  fromLevel: number;
  toLevel: number;
  fromKind: string;
  toKind: string;
}

/** What a reference file's units are: schools, municipalities, or units of any kind. */
export type UnitKind = 'school' | 'municipality' | 'unit';
const UNIT_WORDS: Readonly<Record<UnitKind, { sv: readonly [string, string]; en: readonly [string, string] }>> = {
  school: { sv: ['skola', 'skolor'], en: ['school', 'schools'] },
  municipality: { sv: ['kommun', 'kommuner'], en: ['municipality', 'municipalities'] },
  unit: { sv: ['enhet', 'enheter'], en: ['unit', 'units'] },
};
/** "skola"/"skolor", "kommun"/"kommuner", "enhet"/"enheter" (and the English). */
export function unitWord(kind: UnitKind, n: number, lang: MessageLang): string {
  return UNIT_WORDS[kind][lang][n === 1 ? 0 : 1];
}

/** A candidate for an ambiguous --reference-unit name. */
interface UnitCandidate {
  unit: string;
  municipality: string | null;
  unit_code: string | null;
  line: number;
}

const YEAR_HINT = { sv: '(skriv 2023/24, VT24 eller 2024)', en: '(write 2023/24, VT24 or 2024)' };

export const MESSAGES = {
  // --- files (errors.ts) -------------------------------------------------------------------
  noSuchFile: (file: string): Message => ({ sv: `${file}: filen finns inte`, en: `${file}: no such file` }),
  permissionDenied: (file: string): Message => ({ sv: `${file}: behörighet saknas`, en: `${file}: permission denied` }),
  isDirectory: (file: string): Message => ({ sv: `${file}: är en mapp`, en: `${file}: is a directory` }),
  cannotRead: (file: string, why: string): Message => ({ sv: `${file}: kan inte läsas (${why})`, en: `${file}: cannot be read (${why})` }),
  cannotWrite: (file: string, why: Message): Message => ({ sv: `${file}: kan inte skrivas (${why.sv})`, en: `${file}: cannot be written (${why.en})` }),
  writeReason: {
    ENOSPC: { sv: 'disken är full', en: 'the disk is full' },
    EDQUOT: { sv: 'diskkvoten är slut', en: 'the disk quota is used up' },
    EFBIG: { sv: 'filen skulle bli större än gränsen för filstorlek', en: 'the file would exceed the file-size limit' },
    EACCES: { sv: 'behörighet saknas', en: 'permission denied' },
    EPERM: { sv: 'behörighet saknas', en: 'permission denied' },
    EROFS: { sv: 'filsystemet är skrivskyddat', en: 'read-only file system' },
    ENOENT: { sv: 'mappen finns inte', en: 'no such folder' },
    ENOTDIR: { sv: 'en del av sökvägen är inte en mapp', en: 'part of the path is not a folder' },
    EISDIR: { sv: 'är en mapp', en: 'is a directory' },
    ENAMETOOLONG: { sv: 'namnet är för långt', en: 'the name is too long' },
  } as Readonly<Record<string, Message>>,

  // --- the program (cli.ts) ------------------------------------------------------------------
  internalError: (detail: string): Message => ({
    sv: `internt fel: ${detail} (det här är en bugg; kör med SKA_DEBUG=1 för detaljer och rapportera det gärna)`,
    en: `internal error: ${detail} (this is a bug; run with SKA_DEBUG=1 for details and please report it)`,
  }),

  /** commander's own errors (cli.ts translates them by their code, with the values parsed from commander's English). */
  commander: {
    unknownOption: (flag: string, suggestion: string | null): Message => ({
      sv: `fel: okänd flagga '${flag}'${suggestion === null ? '' : `\n(Menade du ${suggestion}?)`}`,
      en: `error: unknown option '${flag}'${suggestion === null ? '' : `\n(Did you mean ${suggestion}?)`}`,
    }),
    unknownCommand: (name: string, suggestion: string | null): Message => ({
      sv: `fel: okänt kommando '${name}'${suggestion === null ? '' : `\n(Menade du ${suggestion}?)`}`,
      en: `error: unknown command '${name}'${suggestion === null ? '' : `\n(Did you mean ${suggestion}?)`}`,
    }),
    missingArgument: (name: string): Message => ({ sv: `fel: argumentet '${name}' saknas`, en: `error: missing required argument '${name}'` }),
    optionMissingArgument: (flags: string): Message => ({ sv: `fel: flaggan '${flags}' saknar sitt värde`, en: `error: option '${flags}' argument missing` }),
    missingMandatoryOption: (flags: string): Message => ({ sv: `fel: flaggan '${flags}' måste anges`, en: `error: required option '${flags}' not specified` }),
    invalidOptionValue: (flags: string, value: string, choices: string | null): Message => ({
      sv: `fel: flaggan '${flags}' kan inte ha värdet '${value}'.${choices === null ? '' : ` Möjliga värden är ${choices}.`}`,
      en: `error: option '${flags}' argument '${value}' is invalid.${choices === null ? '' : ` Allowed choices are ${choices}.`}`,
    }),
    excessArguments: (command: string | null, expected: number, got: number): Message => ({
      sv: `fel: för många argument${command === null ? '' : ` till '${command}'`}. Väntade ${expected} argument men fick ${got}.`,
      en: `error: too many arguments${command === null ? '' : ` for '${command}'`}. Expected ${expected} argument${expected === 1 ? '' : 's'} but got ${got}.`,
    }),
    conflictingOption: (first: string, second: string): Message => ({
      sv: `fel: ${first.replace(/^option /, 'flaggan ')} kan inte användas tillsammans med ${second.replace(/^option /, 'flaggan ')}`,
      en: `error: ${first} cannot be used with ${second}`,
    }),
    helpHint: (): Message => ({ sv: '(kör med --help för att se hur kommandot används)', en: '(run with --help for usage)' }),
  },

  // --- inputs (read/inputs.ts) -------------------------------------------------------------
  noInputs: (): Message => ({
    sv: 'inga indatafiler angivna (ange en eller flera CSV- eller .xlsx-filer, en mapp eller - för stdin)',
    en: 'no input files given (pass one or more CSV or .xlsx files, a folder, or - for stdin)',
  }),
  stdinTwice: (): Message => ({ sv: '- (stdin) kan bara anges en gång', en: '- (stdin) can be given only once' }),

  // --- --school-years (normalise/school-year.ts) ---------------------------------------------
  notASchoolYear: (text: string): Message => ({ sv: `--school-years: "${text}" är inte ett läsår ${YEAR_HINT.sv}`, en: `--school-years: "${text}" is not a school year ${YEAR_HINT.en}` }),
  twoRanges: (text: string): Message => ({ sv: `--school-years: "${text}" har mer än ett ".." ${YEAR_HINT.sv}`, en: `--school-years: "${text}" has more than one ".." ${YEAR_HINT.en}` }),
  openRange: (): Message => ({ sv: '--school-years: ".." behöver ett läsår på minst en sida, t.ex. ..2023/24', en: '--school-years: ".." needs a school year on at least one side, e.g. ..2023/24' }),
  ambiguousRange: (text: string): Message => ({
    sv: `--school-years: "${text}" kan läsas på mer än ett sätt; skriv intervallet med "..", t.ex. 2022/23..2023/24`,
    en: `--school-years: "${text}" can be read in more than one way; write the range with "..", e.g. 2022/23..2023/24`,
  }),
  noSchoolYears: (): Message => ({ sv: '--school-years: ange minst ett läsår, t.ex. 2023/24 eller ..2023/24', en: '--school-years: give at least one school year, e.g. 2023/24 or ..2023/24' }),
  emptyRange: (part: string, from: string, to: string): Message => ({
    sv: `--school-years: "${part}" väljer ingenting (${from} kommer efter ${to})`,
    en: `--school-years: "${part}" selects nothing (${from} is after ${to})`,
  }),

  // --- the areas file (normalise/areas.ts) ----------------------------------------------------
  emptyFile: (file: string): Message => ({ sv: `${file}: filen är tom (ingen rubrikrad)`, en: `${file}: the file is empty (no header line)` }),
  areasColumns: (where: string): Message => ({
    sv: `${where}: filen med skolområden behöver en skolkolumn (Skola) och en områdeskolumn (Skolområde)`,
    en: `${where}: the area mapping needs a school column (Skola) and an area column (Skolområde)`,
  }),
  areasPersonalId: (where: string): Message => ({
    sv: `${where}: ett skol- eller områdesnamn ser ut som ett personnummer (förskjuten kolumn?); filen med skolområden används inte`,
    en: `${where}: a school or area name looks like a personnummer (a shifted column?); the area mapping is not used`,
  }),
  areasTwice: (where: string, school: string, a: string, b: string): Message => ({
    sv: `${where}: ${school} hör till både ${a} och ${b}`,
    en: `${where}: ${school} is mapped to both ${a} and ${b}`,
  }),
  areasQuote: (where: string): Message => ({
    sv: `${where}: ett citattecken som aldrig stängs i filen med skolområden`,
    en: `${where}: a quote that never closes in the area mapping`,
  }),
  areasBlank: (where: string, lines: number): Message => ({
    sv: `${where}: en skola eller ett område är tomt i filen med skolområden (${lines} ${plural(lines, 'rad', 'rader')})`,
    en: `${where}: a school or area is blank in the area mapping (${lines} line${lines > 1 ? 's' : ''})`,
  }),

  // --- exports (normalise/ingest.ts) ------------------------------------------------------------
  requiredColumnMissing: (where: string, parts: readonly { field: string; aliases: string }[]): Message => ({
    sv: `${where}: obligatorisk kolumn saknas: ${parts.map((p) => `${p.field} (letade efter: ${p.aliases}, …)`).join('; ')}. Ange den under "columns" i --config.`,
    en: `${where}: required column missing: ${parts.map((p) => `${p.field} (looked for: ${p.aliases}, …)`).join('; ')}. Map it with "columns" in --config.`,
  }),
  headerNotUtf8: (): Message => ({
    sv: ' Rubrikraden har tecken som inte är giltig UTF-8: prova --encoding windows-1252.',
    en: ' The header has characters that are not valid UTF-8: try --encoding windows-1252.',
  }),
  noResultColumn: (where: string): Message => ({
    sv: `${where}: ingen resultatkolumn hittades: behöver Betyg/Terminsbetyg, Provbetyg, Bedömning/Omdöme, eller en typkolumn (Typ) med en värdekolumn (Resultat). Ange den under "columns" i --config.`,
    en: `${where}: no result column found: need Betyg/Terminsbetyg, Provbetyg, Bedömning/Omdöme, or a kind column (Typ) with a value column (Resultat). Map it with "columns" in --config.`,
  }),
  /** Why a row was rejected (normalise/ledger.ts REJECT_REASONS). */
  rejectReason: {
    field_count: { sv: 'fel antal fält på raden', en: 'wrong number of fields on the line' },
    unterminated_quote: { sv: 'citattecken som aldrig stängs (raden hoppades över, läsningen fortsätter på nästa)', en: 'a quote that never closes (the line is skipped, reading goes on at the next)' },
    missing_id: { sv: 'elev-id saknas', en: 'no pupil id' },
    invalid_school_year: { sv: 'läsår/termin kunde inte tolkas', en: 'school year not understood' },
    personal_id_in_label: {
      sv: 'personnummer i en namnkolumn (skola, klass, område eller lärare; en förskjuten kolumn?): raden används inte och värdet visas aldrig',
      en: 'a personnummer in a name column (school, class, area or teacher; a shifted column?): the row is not used and the value never shown',
    },
    unknown_subject: { sv: 'okänt ämne', en: 'unknown subject' },
    invalid_grade_level: { sv: 'årskursen kunde inte tolkas (1–9)', en: 'grade level not understood (1–9)' },
    unknown_kind: { sv: 'okänd resultattyp (varken betyg, provbetyg eller bedömning)', en: 'unknown result kind (not grade, test or assessment)' },
    old_grade_scale: { sv: 'gammal betygsskala (IG/G/VG/MVG)', en: 'old grade scale (IG/G/VG/MVG)' },
    invalid_grade: { sv: 'inte ett betyg A–F', en: 'not a grade A–F' },
    invalid_assessment: { sv: 'okänd bedömning/omdöme', en: 'unknown assessment label' },
    duplicate: { sv: 'exakt dubblett av en tidigare rad (räknas en gång)', en: 'exact duplicate of an earlier row (counted once)' },
    conflict: {
      sv: 'motstridig dubblett (samma elev, ämne, läsår och typ men olika resultat): utelämnad',
      en: 'conflicting duplicate (same pupil, subject, year and kind, different result): left out',
    },
  },
  everyRowRejected: (where: string, file: string, rows: number, reason: Message): Message => ({
    sv: `${where}: alla rader avvisades (${rows} ${plural(rows, 'rad', 'rader')}; främst: ${reason.sv}), så filen kan inte användas. Kör "ska-analyze inspect ${file}" för att se varför.`,
    en: `${where}: every row was rejected (${rows} rows; mostly: ${reason.en}), so the file cannot be used. Run "ska-analyze inspect ${file}" to see why.`,
  }),

  // --- earlier runs (read/earlier-run.ts) --------------------------------------------------------
  earlierNotJson: (file: string, why: string, command: string): Message => ({
    sv: `${file}: inte giltig JSON (${why}); --compare-with tar JSON från en tidigare körning av "ska-analyze ${command} --format json"`,
    en: `${file}: not valid JSON (${why}); --compare-with takes the JSON of an earlier "ska-analyze ${command} --format json" run`,
  }),
  earlierShape: (file: string, where: Message, command: string): Message => ({
    sv: `${file}: ${where.sv} (väntade JSON från en tidigare körning av "ska-analyze ${command} --format json")`,
    en: `${file}: ${where.en} (expected the JSON of an earlier "ska-analyze ${command} --format json" run)`,
  }),
  earlierOtherCommand: (file: string, made: string, command: string): Message => ({
    sv: `${file}: gjord av "ska-analyze ${made}"; jämför ${command} med en tidigare ${command}-körning`,
    en: `${file}: made by "ska-analyze ${made}"; compare ${command} with an earlier ${command} run`,
  }),

  // --- the config file (config.ts) -----------------------------------------------------------------
  configNotJson: (where: string, why: Message): Message => ({ sv: `${where}: inte giltig JSON (${why.sv})`, en: `${where}: not valid JSON (${why.en})` }),
  configSyntax: {
    InvalidSymbol: { sv: 'oväntat tecken', en: 'unexpected character' },
    InvalidNumberFormat: { sv: 'inte ett tal', en: 'not a number' },
    PropertyNameExpected: { sv: 'väntade en nyckel inom dubbla citattecken', en: 'expected a key in double quotes' },
    ValueExpected: { sv: 'väntade ett värde', en: 'expected a value' },
    ColonExpected: { sv: "väntade ':' efter nyckeln", en: "expected ':' after the key" },
    CommaExpected: { sv: "väntade ',' mellan värden", en: "expected ',' between values" },
    CloseBraceExpected: { sv: "väntade ',' eller '}'", en: "expected ',' or '}'" },
    CloseBracketExpected: { sv: "väntade ',' eller ']'", en: "expected ',' or ']'" },
    EndOfFileExpected: { sv: 'text efter JSON-dokumentets slut', en: 'text after the end of the JSON' },
    InvalidCommentToken: { sv: 'en kommentar som varken är // eller /* */', en: 'a comment that is not // or /* */' },
    UnexpectedEndOfComment: { sv: 'en /*-kommentar som aldrig slutar', en: 'a /* comment that never ends' },
    UnexpectedEndOfString: { sv: 'en sträng som aldrig slutar', en: 'a string that never ends' },
    UnexpectedEndOfNumber: { sv: 'ett tal som slutar för tidigt', en: 'a number that ends too soon' },
    InvalidUnicode: { sv: 'en felaktig \\u-kod', en: 'an invalid \\u escape' },
    InvalidEscapeCharacter: { sv: 'en felaktig escape-sekvens i en sträng', en: 'an invalid escape in a string' },
    InvalidCharacter: { sv: 'ett tecken som inte är tillåtet i en sträng', en: 'a character not allowed in a string' },
  } as Readonly<Record<string, Message>>,
  topLevel: (): Message => ({ sv: '(översta nivån)', en: '(top level)' }),
  /** The config schema's own messages (English in the schema), and their Swedish. */
  configIssue: {
    'expected a string (the header) or an array of strings': 'väntade en text (rubriken) eller en lista av texter',
    'every passing label must be one of labels': 'varje etikett under passing måste finnas under labels',
    'expected a string (a file) or an array of strings': 'väntade en text (en fil) eller en lista av texter',
    'expected a value (text or a number)': 'väntade ett värde (text eller ett tal)',
    'give at least one field, e.g. { "grade_level": 5 }': 'ange minst ett fält, t.ex. { "grade_level": 5 }',
    'looks like a personnummer; a label must not be one': 'ser ut som ett personnummer; en etikett får inte vara ett',
    'not a grade level 1–9': 'inte en årskurs 1–9',
    'not a school year (e.g. 2024/25, VT25)': 'inte ett läsår (t.ex. 2024/25, VT25)',
    'not a gender (Flicka/Pojke, F/P)': 'inte ett kön (Flicka/Pojke, F/P)',
    'not a kind of result (betyg, provbetyg, bedömning)': 'inte en resultattyp (betyg, provbetyg, bedömning)',
  } as Readonly<Record<string, string>>,

  // --- output (write-output.ts) ----------------------------------------------------------------------
  outputIsInput: (output: string, input: string, sameName: boolean): Message => ({
    sv: `--output ${output} är indatafilen ${input}${sameName ? '' : ' (samma fil under ett annat namn eller via en länk)'}; skriv till en annan fil (en indatafil skrivs aldrig över)`,
    en: `--output ${output} is the input ${input}${sameName ? '' : ' (the same file under another name or through a link)'}; write the output to another file (an input is never overwritten)`,
  }),
  outputExists: (output: string): Message => ({ sv: `${output} finns redan; använd --force för att skriva över`, en: `${output} exists; use --force to overwrite` }),

  // --- init (commands/init.ts) -----------------------------------------------------------------------
  referenceUnitBlank: (): Message => ({ sv: '--reference-unit: ange en enhet, t.ex. Riket', en: '--reference-unit: give a unit, e.g. Riket' }),
  referenceNeedsFile: (file: string): Message => ({ sv: `${file}: --reference behöver en fil`, en: `${file}: --reference needs a file` }),

  // --- option values (commands/options.ts) ----------------------------------------------------
  unknownEncoding: (value: string): Message => ({
    sv: `--encoding: okänd teckenkodning "${value}" (använd utf-8, windows-1252, latin1 eller utf-16le)`,
    en: `--encoding: unknown encoding "${value}" (use utf-8, windows-1252, latin1 or utf-16le)`,
  }),
  unknownDimension: (what: string, swedish: string, english: string): Message => ({
    sv: `--by: okänd indelning ${what === '' ? '(ingen)' : what}; välj bland ${swedish} (eller ${english})`,
    en: `--by: unknown dimension ${what === '' ? '(none)' : what}; choose from ${english} (or in Swedish: ${swedish})`,
  }),
  notWholeNumber: (flag: string, value: string): Message => ({
    sv: `${flag}: väntade ett heltal, minst 1, inte "${value}"`,
    en: `${flag}: expected a whole number of at least 1, got "${value}"`,
  }),
  notProbability: (flag: string, value: string): Message => ({
    sv: `${flag}: väntade ett tal mellan 0 och 1, inte "${value}"`,
    en: `${flag}: expected a number between 0 and 1, got "${value}"`,
  }),
  excelWithFormat: (format: string): Message => ({
    sv: `--excel skriver CSV; det går inte att kombinera med --format ${format}`,
    en: `--excel writes CSV; it cannot be combined with --format ${format}`,
  }),
  unknownFormat: (formats: readonly string[], given: string): Message => ({
    sv: `--format: använd ${formats.join(', ')}, inte "${given}"`,
    en: `--format: use ${formats.join(', ')}, not "${given}"`,
  }),
  unknownKind: (flag: string, value: string): Message => ({
    sv: `${flag}: använd bedömning, betyg eller provbetyg (assessment, grade, test), inte "${value}"`,
    en: `${flag}: use assessment, grade or test, not "${value}"`,
  }),
  notGradeLevel: (flag: string, level: number): Message => ({ sv: `${flag}: en årskurs är 1–9, inte ${level}`, en: `${flag}: a grade level is 1–9, not ${level}` }),
  toBeforeFrom: (to: number, from: number): Message => ({
    sv: `--to (${to}) måste vara en senare årskurs än --from (${from})`,
    en: `--to (${to}) must be a later grade level than --from (${from})`,
  }),
  unknownAttribution: (value: string): Message => ({ sv: `--attribute-to: använd from eller to, inte "${value}"`, en: `--attribute-to: use from or to, not "${value}"` }),
  wideAndColumns: (): Message => ({ sv: '--wide och --columns går inte att kombinera: --wide visar alla kolumner', en: '--wide and --columns cannot be combined: --wide shows every column' }),
  unknownColumn: (words: readonly string[], keys: string): Message => ({
    sv: `--columns: okänd kolumn ${words.map((word) => `"${word}"`).join(', ') || '(ingen)'}; välj bland ${keys}`,
    en: `--columns: unknown column ${words.map((word) => `"${word}"`).join(', ') || '(none)'}; choose from ${keys}`,
  }),
  /** A value zod refused (in its own words: zod's Swedish locale for Swedish). */
  badOptionValue: (flag: string, why: Message): Message => ({ sv: `${flag}: ${why.sv}`, en: `${flag}: ${why.en}` }),
  invalidValue: (): Message => ({ sv: 'ogiltigt värde', en: 'invalid value' }),
  showIdsAlone: (): Message => ({ sv: '--show-ids fungerar bara tillsammans med --list-cases', en: '--show-ids only works together with --list-cases' }),
  noTeacherInTransition: (): Message => ({
    sv: '--by lärare (teacher) går inte att använda med transition (bedömningarna i åk 5 har ingen betygssättande lärare)',
    en: '--by teacher is not available for transition (år 5 assessments have no grading teacher)',
  }),

  // --- --fail-on (analysis/thresholds.ts, commands/options.ts) ---------------------------------
  failOn: (why: Message, decimalComma: boolean): Message => ({
    sv: `--fail-on: ${why.sv}${decimalComma ? ' (skriv decimaler med punkt: share_higher>0.25; kommatecken skiljer villkoren åt)' : ''}`,
    en: `--fail-on: ${why.en}${decimalComma ? ' (write decimals with a point: share_higher>0.25; commas separate conditions)' : ''}`,
  }),
  conditionSyntax: (part: string): Message => ({
    sv: `"${part}" är inte NYCKEL>TAL (jämförelser: > >= < <= = !=)`,
    en: `"${part}" is not KEY>NUMBER (operators > >= < <= = !=)`,
  }),
  conditionKey: (key: string, examples: readonly string[]): Message => ({
    sv: `"${key}" är inte en nyckel i rapportens rader (t.ex. ${examples.join(', ')})`,
    en: `"${key}" is not a key of the report's rows (e.g. ${examples.join(', ')})`,
  }),
  conditionNeedsNumber: (part: string, op: string): Message => ({ sv: `"${part}": ${op} behöver ett tal`, en: `"${part}": ${op} needs a number` }),
  noCondition: (): Message => ({ sv: 'inget villkor angivet', en: 'no condition given' }),
  /** Groups that breach a --fail-on condition (group keys only, never pupils): `shown` lists at most a few of `total`. */
  failOnBreached: (condition: string, shown: Message, total: number, listed: number): Message => ({
    sv: `--fail-on ${condition}: ${total} ${plural(total, 'grupp', 'grupper')} (${shown.sv}${total > listed ? `; och ${total - listed} till` : ''})`,
    en: `--fail-on ${condition}: ${total} ${plural(total, 'group', 'groups')} (${shown.en}${total > listed ? `; and ${total - listed} more` : ''})`,
  }),
  total: (): Message => ({ sv: 'Totalt', en: 'Total' }),

  // --- reading the inputs (commands/shared.ts, normalise/sources.ts) -----------------------------
  noExport: (notExports: readonly string[]): Message => ({
    sv: `ingen export bland indatafilerna${notExports.length === 0 ? '' : ` (inte exporter: ${notExports.join(', ')})`}; en export behöver kolumner för elev-id, läsår och ämne`,
    en: `no export among the inputs${notExports.length === 0 ? '' : ` (not exports: ${notExports.join(', ')})`}; an export needs columns for the pupil id, the school year and the subject`,
  }),
  ownOutputNamed: (file: string): Message => ({
    sv: `${file}: det här är en rapport som ska-analyze har skrivit, inte en export; ange exporterna den gjordes från`,
    en: `${file}: this is a report written by ska-analyze, not an export; give the exports it was made from`,
  }),
  notAnExport: (file: string): Message => ({ sv: `${file}: inte en export`, en: `${file}: not an export` }),
  areasFilesDisagree: (file: string, a: string, b: string): Message => ({
    sv: `${file}: en skola hör till både ${a} och ${b} enligt skolområdesfilerna i indatamapparna`,
    en: `${file}: a school is mapped to both ${a} and ${b} by the areas files in the input folders`,
  }),
  filesPatternUnused: (pattern: string): Message => ({
    sv: `konfigurationens files: "${pattern}" matchar ingen av exporterna`,
    en: `the config's files: "${pattern}" matches none of the exports`,
  }),
  outputInInputFolder: (folder: string): Message => ({
    sv: `rapporten skrivs i ${folder}, en mapp med exporter; senare körningar känner igen den som ska-analyzes egen utdata och hoppar över den`,
    en: `the report is written into ${folder}, a folder of exports; later runs recognise it as ska-analyze's own output and skip it`,
  }),
  sheetIdsRestored: (n: number): Message => ({
    sv: `${n} elev-id var tal som tappat sin inledande nolla i Excel (0901011234 blir talet 901011234); nollan lades tillbaka`,
    en: `${n} pupil ids were numbers that had lost their leading zero in Excel (0901011234 becomes the number 901011234); the zero was put back`,
  }),
  sheetIdsShort: (n: number): Message => ({
    sv: `${n} elev-id är tal med 7–9 siffror (Excel tar bort inledande nollor) som inte kunde läsas som personnummer; de lästes som de står och länkas inte som personnummer (formatera kolumnen som text och exportera igen)`,
    en: `${n} pupil ids are numbers of 7–9 digits (Excel drops leading zeros) that could not be read as personnummer; they were read as they are and are not linked as personnummer (format the column as text and export again)`,
  }),
  sheetFormulasWithoutValue: (n: number): Message => ({
    sv: `${n} ${plural(n, 'formel', 'formler')} i bladet saknar sparat värde (arbetsboken skrevs av ett program och har inte sparats i Excel); ${n === 1 ? 'cellen lästes som tom' : 'cellerna lästes som tomma'} (öppna arbetsboken i Excel och spara den igen, så sparas värdena)`,
    en: `${n} ${n === 1 ? 'formula' : 'formulas'} in the sheet ${n === 1 ? 'has' : 'have'} no saved value (the workbook was written by a program and not saved in Excel); ${n === 1 ? 'the cell was' : 'the cells were'} read as empty (open the workbook in Excel and save it again to store the values)`,
  }),
  sheetHiddenRows: (n: number): Message => ({
    sv: `${n} ${plural(n, 'rad', 'rader')} under rubrikraden är ${n === 1 ? 'dold' : 'dolda'} i Excel (av ett filter eller för hand) och lästes ändå, som alla rader; ska ${n === 1 ? 'den' : 'de'} inte räknas, ta bort ${n === 1 ? 'den' : 'dem'} i Excel (eller exportera igen)`,
    en: `${n} ${n === 1 ? 'row' : 'rows'} below the header ${n === 1 ? 'is' : 'are'} hidden in Excel (by a filter or by hand) and ${n === 1 ? 'was' : 'were'} read all the same, like every row; if ${n === 1 ? 'it is' : 'they are'} not to count, delete ${n === 1 ? 'it' : 'them'} in Excel (or export again)`,
  }),
  sheetMergedRanges: (n: number): Message => ({
    sv: `${n} ${plural(n, 'sammanfogad cell', 'sammanfogade celler')} under rubrikraden: bara den första cellen har ett värde, de andra lästes som tomma; dela upp dem i Excel (Dela upp celler) och fyll i värdet i varje cell`,
    en: `${n} merged ${n === 1 ? 'cell' : 'cells'} below the header row: only the first cell holds a value, the others were read as empty; unmerge them in Excel (Unmerge Cells) and fill in the value in each cell`,
  }),
  sheetCellsBeyondHeader: (n: number): Message => ({
    sv: `${n} ${plural(n, 'cell', 'celler')} med värde till höger om rubrikradens sista kolumn lästes inte (ingen kolumnrubrik att läsa ${n === 1 ? 'den' : 'dem'} som)`,
    en: `${n} ${n === 1 ? 'cell' : 'cells'} with a value to the right of the header row's last column ${n === 1 ? 'was' : 'were'} not read (no column header to read ${n === 1 ? 'it' : 'them'} as)`,
  }),
  invalidUtf8: (): Message => ({
    sv: 'ogiltiga UTF-8-byte ersattes; kommer filen från Excel, prova --encoding windows-1252',
    en: 'invalid UTF-8 bytes were replaced; if the file is from Excel, try --encoding windows-1252',
  }),
  columnNotUsed: (header: string, used: string, field: string): Message => ({
    sv: `kolumnen "${header}" används inte: "${used}" ger redan ${field} (välj en annan under "columns" i --config)`,
    en: `column "${header}" is not used: "${used}" already gives ${field} (map another with "columns" in --config)`,
  }),

  // --- no figures (commands/shared.ts; exit 4) ------------------------------------------------------
  noRowInSchoolYears: (selection: string, held: string): Message => ({
    sv: `inga siffror: ingen rad ligger i --school-years ${selection} (exporterna har ${held}); välj läsår som finns i exporterna`,
    en: `no figures: no row is in --school-years ${selection} (the exports hold ${held}); choose school years the exports hold`,
  }),
  noPairs: (): Message => ({
    sv: 'inga siffror: inget lärarbetyg kunde paras ihop med ett provbetyg (samma elev, ämne, läsår och årskurs). Kontrollera med "ska-analyze inspect" att exporterna har både betyg (Betyg) och provbetyg (Provbetyg) för samma elever och år.',
    en: 'no figures: no teacher grade could be paired with a national test grade (the same pupil, subject, school year and grade level). Check with "ska-analyze inspect" that the exports hold both grades (Betyg) and test grades (Provbetyg) for the same pupils and years.',
  }),
  noLinks: (link: LinkText): Message => {
    const { fromLevel: from, toLevel: to } = link;
    const years = to - from;
    return {
      sv: `inga siffror: ingen elev kunde länkas från åk ${from} (${kindWord(link.fromKind).sv}) till åk ${to} (${kindWord(link.toKind).sv}) ${years === 1 ? 'ett år' : `${years} år`} senare. Kontrollera med "ska-analyze inspect" att resultaten i åk ${from} har en årskurs (en kolumn, en klass som ${from}B, ett filnamn som omdomen_ak${from}.csv, eller "files" i konfigurationen) och att exporterna har resultaten i åk ${to} från läsåret efter.`,
      en: `no figures: no pupil could be linked from år ${from} (${link.fromKind}) to år ${to} (${link.toKind}) ${years === 1 ? 'a year' : `${years} years`} later. Check with "ska-analyze inspect" that the år ${from} results have a grade level (a column, a class such as ${from}B, the file name such as omdomen_ak${from}.csv, or "files" in the config) and that the exports hold the år ${to} results of the school year after.`,
    };
  },
  /** trend and report: neither pairs nor links. */
  noPairsNorLinks: (link: LinkText): Message => {
    const pairs = MESSAGES.noPairs();
    const links = MESSAGES.noLinks(link);
    return {
      sv: `${pairs.sv.replace(/\.$/, '')}; och ${links.sv.replace(/^inga siffror: /, '')}`,
      en: `${pairs.en.replace(/\.$/, '')}; and ${links.en.replace(/^no figures: /, '')}`,
    };
  },
  onlyOneSchoolYear: (): Message => ({ sv: 'bara ett läsår i exporterna; ingen förändring att visa.', en: 'only one school year in the exports; no change to show.' }),
  reportWritten: (file: string): Message => ({ sv: `rapporten skrevs till ${file}`, en: `the report was written to ${file}` }),

  // --- --compare-with (commands/shared.ts) ---------------------------------------------------------
  compareNoBy: (file: string): Message => ({
    sv: `--compare-with ${file}: meta.parameters.by saknas, så grupperna kan inte matchas (använd JSON från en tidigare körning av ska-analyze)`,
    en: `--compare-with ${file}: meta.parameters.by is missing, so its groups cannot be matched (use the JSON of an earlier ska-analyze run)`,
  }),
  compareNeedsSchoolYear: (by: string): Message => ({
    sv: `--compare-with: lägg till school_year i --by (t.ex. --by school_year,${by}), så att varje körnings senaste läsår jämförs och de två sidorna har olika elever`,
    en: `--compare-with: add school_year to --by (e.g. --by school_year,${by}), so that each run's latest school year is compared and the two sides hold different pupils`,
  }),
  compareOtherBy: (file: string, by: string): Message => ({
    sv: `--compare-with ${file}: den körningen grupperade efter ${by}; kör med --by ${by} för att jämföra`,
    en: `--compare-with ${file}: that run grouped by ${by}; run with --by ${by} to compare`,
  }),
  compareRepeatedGroups: (file: string, rows: number, by: string): Message => ({
    sv: `--compare-with ${file}: ${rows} ${plural(rows, 'rad upprepar', 'rader upprepar')} en grupp från samma läsår, så filen är inte grupperad efter ${by} som den säger`,
    en: `--compare-with ${file}: ${rows} ${plural(rows, 'row repeats', 'rows repeat')} a group of the same school year, so the file is not grouped by ${by} as it says`,
  }),
  /** Where in a JSON file zod found a problem: "rows.0.level: …", or the top level. */
  jsonIssue: (path: string, why: Message): Message => ({
    sv: `${path === '' ? MESSAGES.topLevel().sv : path}: ${why.sv}`,
    en: `${path === '' ? MESSAGES.topLevel().en : path}: ${why.en}`,
  }),
  notAReport: (): Message => ({ sv: 'inte en rapport', en: 'not a report' }),

  // --- --reference (commands/references.ts, read/reference.ts) --------------------------------------
  referenceUnitWithoutFile: (flag: string): Message => ({
    sv: `${flag} behöver en referensfil med publicerade siffror (--reference FIL.csv)`,
    en: `${flag} needs a reference file with published figures (--reference FILE.csv)`,
  }),
  twoGradingStandards: (first: string, second: string): Message => ({
    sv: `--reference: ${first} och ${second} är båda gap-rapporter i JSON (betygsstandarder); ange högst en`,
    en: `--reference: ${first} and ${second} are both gap JSON reports (grading standards); give at most one`,
  }),
  sameFigureTwice: (first: string, second: string, metric: string, group: string): Message => ({
    sv: `--reference: ${first} och ${second} ger båda ${metric} för ${group}; ange bara en av dem`,
    en: `--reference: ${first} and ${second} both give ${metric} for ${group}; give only one of them`,
  }),
  referenceLinesSkipped: (file: string, skipped: readonly { line: number; reason: Message }[]): Message => {
    const n = skipped.length;
    const shown = (lang: MessageLang, line: string) => skipped.slice(0, 3).map((s) => `${line} ${s.line}: ${s.reason[lang]}`).join('; ') + (n > 3 ? '; …' : '');
    return {
      sv: `${file}: ${n} ${plural(n, 'rad används', 'rader används')} inte (${shown('sv', 'rad')})`,
      en: `${file}: ${n} line${n === 1 ? '' : 's'} not used (${shown('en', 'line')})`,
    };
  },
  codesPadded: (file: string, rows: number, example: { line: number; from: string; to: string }): Message => ({
    sv: `${file}: ${rows} ${plural(rows, 'rad', 'rader')} hade koder utan sina inledande nollor (rad ${example.line}: ${example.from} → ${example.to}), som när Excel sparar om filen; nollorna är tillagda`,
    en: `${file}: ${rows} ${plural(rows, 'row', 'rows')} had codes without their leading zeros (line ${example.line}: ${example.from} → ${example.to}), as when Excel re-saves the file; the zeros were added back`,
  }),
  blankLinesAmongUnits: (file: string, count: number, lines: string): Message => ({
    sv: `${file}: ${count} ${plural(count, 'tom rad', 'tomma rader')} bland enheterna (bara semikolon, som Excel skriver en tom rad) hoppades över och räknas inte som enheter (rad ${lines})`,
    en: `${file}: ${count} blank ${plural(count, 'line', 'lines')} among the units (only semicolons, as Excel writes an empty row) skipped, not counted as units (line ${lines})`,
  }),
  skolverketRemark: (file: string, year: string | null, remark: string): Message => ({
    sv: `${file}: Skolverkets anmärkning om läsåret${year === null ? '' : ` ${year}`}: ${remark}`,
    en: `${file}: Skolverket's remark on the school year${year === null ? '' : ` ${year}`} (in Swedish): ${remark}`,
  }),
  /** For a Skolverket file downloaded as a workbook: the statistics pages offer CSV too. */
  chooseCsv: (): Message => ({
    sv: 'Från Skolverkets statistiksidor går det också att ladda ned tabellen som CSV (filerna läses som de är).',
    en: "Skolverket's statistics pages also download the table as CSV (those files are read as they are).",
  }),
  gapReferenceNotJson: (file: string, why: string): Message => ({ sv: `${file}: inte giltig JSON (${why})`, en: `${file}: not valid JSON (${why})` }),
  gapReferenceShape: (file: string, where: Message): Message => ({
    sv: `${file}: ${where.sv} (väntade JSON från en tidigare körning av "ska-analyze gap --format json")`,
    en: `${file}: ${where.en} (expected the JSON of an earlier "ska-analyze gap --format json" run)`,
  }),
  notAGapReport: (): Message => ({ sv: 'inte en gap-rapport', en: 'not a gap report' }),
  gapReferenceNoTotals: (file: string): Message => ({
    sv: `${file}: inga totalrader med årskurs, ämne och matris (kör gap med grade_level och subject i --by, --format json)`,
    en: `${file}: no total rows with a grade level, a subject and a matrix (run gap with grade_level and subject in --by, --format json)`,
  }),

  // --- Skolverket's tables and hand-typed reference tables (normalise/reference-table.ts) ---------
  referenceEmpty: (file: string): Message => ({ sv: `${file}: filen är tom`, en: `${file}: empty file` }),
  referenceNoHeader: (file: string, afterBanner: boolean): Message => ({
    sv:
      `${file}: ${afterBanner ? 'ingen rubrikrad (en rad som börjar "Skola;Skol-enhetskod;…" eller "Kommun;Kommun-kod;…") efter "Statistik från Skolverket"' : 'ingen rubrikrad som känns igen'}. ` +
      'Väntade Skolverkets export ("Statistik från Skolverket", titeln, "Valt läsår: …", sedan en rubrikrad som börjar med "Skola" eller "Kommun") ' +
      'eller en egen tabell vars första rad namnger kolumnerna subject, grade_level, school_year och ett mått som share_higher, share_pass_test eller mean_points_test',
    en:
      `${file}: ${afterBanner ? 'no header row (a line starting "Skola;Skol-enhetskod;…" or "Kommun;Kommun-kod;…") after the banner' : 'no recognisable header'}. ` +
      'Expected Skolverket\'s export ("Statistik från Skolverket", the title, "Valt läsår: …", then a header row starting "Skola" or "Kommun") ' +
      'or a hand-typed table whose first line names the columns subject, grade_level, school_year and a measure such as share_higher, share_pass_test or mean_points_test',
  }),
  referenceColumnSubject: (where: string, column: string, subject: string): Message => ({
    sv: `${where}: kolumnen ${column}: okänt ämne ${subject}`,
    en: `${where}: column ${column}: unknown subject ${subject}`,
  }),
  referenceYearUnreadable: (where: string, text: string): Message => ({
    sv: `${where}: kan inte läsa läsåret i ${text} (väntade t.ex. "Valt läsår: 2023/24")`,
    en: `${where}: cannot read the school year in ${text} (expected e.g. "Valt läsår: 2023/24")`,
  }),
  referenceNoKnownFigures: (where: string): Message => ({
    sv:
      `${where}: rubrikraden namnger inga siffror som verktyget känner igen; väntade Skolverkets kolumner: "<Ämne>, andel (%) elever med högre slutbetyg jämfört med provbetyget" ` +
      '(Relationen mellan nationella prov och slutbetyg), "Ämne" med "Andel (%) med provbetyg A-E" ' +
      '(Resultat nationella prov), eller "Andel (%) elever som fått godkänt betyg i alla ämnen" (Betyg årskurs 6)',
    en:
      `${where}: the header row names no figures this reader knows; expected Skolverket's columns: "<Ämne>, andel (%) elever med högre slutbetyg jämfört med provbetyget" ` +
      '(Relationen mellan nationella prov och slutbetyg), "Ämne" with "Andel (%) med provbetyg A-E" ' +
      '(Resultat nationella prov), or "Andel (%) elever som fått godkänt betyg i alla ämnen" (Betyg årskurs 6)',
  }),
  referenceNoYearLine: (file: string, headerLine: number): Message => ({
    sv: `${file}: ingen rad "Valt läsår: …" ovanför rubrikraden (rad ${headerLine}); lägg till en, t.ex. "Valt läsår: 2023/24"`,
    en: `${file}: no "Valt läsår: …" line above the header (line ${headerLine}); add one, e.g. "Valt läsår: 2023/24"`,
  }),
  referenceNoGradeLevel: (file: string, title: string | null): Message => ({
    sv: `${file}: titeln ${title ?? '(ingen hittades)'} anger inte årskursen (t.ex. "… årskurs 9 …")`,
    en: `${file}: the title ${title ?? '(none found)'} does not name the årskurs (e.g. "… årskurs 9 …")`,
  }),
  referenceTwoColumns: (where: string, what: string, first: string, second: string): Message => ({
    sv: `${where}: två kolumner för ${what}: ${first} och ${second}`,
    en: `${where}: two columns for ${what}: ${first} and ${second}`,
  }),
  referenceSimpleColumnsMissing: (where: string, missing: readonly string[], noMeasure: boolean, measures: readonly string[]): Message => {
    const count = missing.length + (noMeasure ? 1 : 0);
    const needs = (measure: string) => [...missing, ...(noMeasure ? [measure] : [])].join(', ');
    return {
      sv: `${where}: ${plural(count, 'kolumnen', 'kolumnerna')} ${needs('ett mått (t.ex. share_higher, share_pass_test, mean_points_test)')} saknas (en egen referenstabell behöver subject, grade_level, school_year och minst en av ${measures.join(', ')})`,
      en: `${where}: missing column${count > 1 ? 's' : ''} ${needs('a measure (e.g. share_higher, share_pass_test, mean_points_test)')} (a hand-typed reference table needs subject, grade_level, school_year and at least one of ${measures.join(', ')})`,
    };
  },
  referenceReadAsFractions: (file: string, columns: readonly string[]): Message => ({
    sv: `${file}: ${columns.join(', ')} lästes som andelar (0,27 = 27 %) eftersom inget värde har % eller är över 1; är de procent, skriv % efter dem (0,8 %)`,
    en: `${file}: ${columns.join(', ')} read as fractions (0,27 = 27 %) since no value has % or is above 1; if they are percentages, write % after them (0,8 %)`,
  }),
  /** Why a line of a reference table is not used (each with the line number, in commands/references.ts). */
  referenceLine: {
    fieldCount: (fields: number, width: number, decimalCommaHint = false): Message => ({
      sv: `har ${fields} fält, rubrikraden har ${width}${decimalCommaHint ? ' (i en kommaavgränsad fil måste ett decimalkomma stå inom citattecken, eller använd ";")' : ''}`,
      en: `has ${fields} fields, the header has ${width}${decimalCommaHint ? ' (in a comma-separated file a decimal comma must be in quotes, or use ";")' : ''}`,
    }),
    noUnitName: (column: string): Message => ({ sv: `inget enhetsnamn i kolumnen ${column}`, en: `no unit name in column ${column}` }),
    noFigures: (): Message => ({ sv: 'inga siffror (varje sifferkolumn är tom)', en: 'no figures (every figure column is empty)' }),
    noSubject: (column: string): Message => ({ sv: `inget ämne i kolumnen ${column}`, en: `no subject in column ${column}` }),
    unknownSubject: (subject: string, column: string): Message => ({ sv: `okänt ämne ${subject} i kolumnen ${column}`, en: `unknown subject ${subject} in column ${column}` }),
    notPupilCount: (column: string, value: string): Message => ({ sv: `kolumnen ${column}: ${value} är inte ett antal elever`, en: `column ${column}: ${value} is not a number of pupils` }),
    notFigure: (column: string, value: string): Message => ({
      sv: `kolumnen ${column}: ${value} är inte ett tal, "..", "." eller "~100"`,
      en: `column ${column}: ${value} is not a number, "..", "." or "~100"`,
    }),
    outOfRange: (column: string, value: string, share: boolean): Message => ({
      sv: `kolumnen ${column}: ${value} är ${share ? 'en andel utanför 0–100 %' : 'ett genomsnittligt poängtal utanför 0–20'}`,
      en: `column ${column}: ${value} is ${share ? 'a share outside 0–100 %' : 'mean points outside 0–20'}`,
    }),
    notGradeLevel: (column: string, value: string): Message => ({ sv: `kolumnen ${column}: ${value} är inte en årskurs (1–9)`, en: `column ${column}: ${value} is not an årskurs (1–9)` }),
    notSchoolYear: (column: string, value: string): Message => ({
      sv: `kolumnen ${column}: ${value} är inte ett läsår (t.ex. 2023/24, VT24, 2024)`,
      en: `column ${column}: ${value} is not a school year (e.g. 2023/24, VT24, 2024)`,
    }),
    notGender: (column: string, value: string): Message => ({
      sv: `kolumnen ${column}: ${value} är inte all, F eller M (Totalt, Flickor, Pojkar)`,
      en: `column ${column}: ${value} is not all, F or M (Totalt, Flickor, Pojkar)`,
    }),
  },

  // --- --reference-unit and --reference-provider (analysis/reference-select.ts) ---------------------
  noReferenceUnit: (file: string, wanted: string, suggestions: string): Message =>
    suggestions === ''
      ? {
          sv: `${file}: ingen enhet "${wanted}"; filen har inga enheter med siffror som kunde läsas (kontrollera filen med ett kalkylprogram: är andelarna tal som 17,1 och inte t.ex. 17,1 %?)`,
          en: `${file}: no unit "${wanted}"; the file has no units with figures that could be read (check the file in a spreadsheet: are the shares numbers like 17.1 and not e.g. 17.1 %?)`,
        }
      : {
          sv: `${file}: ingen enhet "${wanted}" (ett enhetsnamn eller en enhetskod, eller en kommuns namn eller kod); filen har t.ex. ${suggestions}`,
          en: `${file}: no unit "${wanted}" (a unit name or code, or a municipality name or code); the file has e.g. ${suggestions}`,
        },
  noProviderRows: (file: string, wanted: string, known: readonly string[]): Message => {
    const quoted = known.map((name) => `"${name}"`).join(', ');
    return {
      sv: `${file}: inga rader med Typ av huvudman "${wanted}"${known.length > 0 ? ` (filen har ${quoted})` : ' (filen har ingen kolumn Typ av huvudman)'}`,
      en: `${file}: no rows with Typ av huvudman "${wanted}"${known.length > 0 ? ` (the file has ${quoted})` : ' (the file has no Typ av huvudman column)'}`,
    };
  },
  unitsWithoutProvider: (file: string, wanted: string, several: boolean, provider: string): Message => ({
    sv: `${file}: ${several ? `enheterna "${wanted}" har` : `enheten "${wanted}" har`} inga rader med Typ av huvudman "${provider}"`,
    en: `${file}: ${several ? `units "${wanted}" have` : `unit "${wanted}" has`} no rows with Typ av huvudman "${provider}"`,
  }),
  nationInList: (file: string, name: string): Message => ({
    sv: `${file}: "${name}" kan inte räknas upp med andra enheter: filen har ingen rad för riket, och riket innehåller redan de andra`,
    en: `${file}: "${name}" cannot be listed with other units: the file has no row for the nation, and the nation already holds the others`,
  }),
  /** No nation row, but units in all the country's municipalities: Riket is every unit pooled. */
  nationPooled: (file: string, units: number, kind: UnitKind, municipalities: number | null, schools: boolean): Message => ({
    sv:
      `${file}: filen har ingen rad för riket, så Riket är ett vägt medelvärde av alla ${countText(units, 'sv')} ${unitWord(kind, units, 'sv')} i filen (${municipalities === null ? 'landets alla kommuner' : `de ligger i landets alla ${municipalities} kommuner`}).` +
      (schools ? ' Skolor som inte finns med i filen (Skolverket visar inte alla skolor, t.ex. inte de minsta) ingår inte.' : ''),
    en:
      `${file}: the file has no row for the nation, so Riket is the mean of all ${countText(units, 'en')} ${unitWord(kind, units, 'en')} in the file weighted by their pupils (${municipalities === null ? "all the country's municipalities" : `they lie in all ${municipalities} municipalities of the country`}).` +
      (schools ? ' Schools not in the file (Skolverket does not show every school, e.g. not the smallest) are not included.' : ''),
  }),
  /** Riket asked for, but the file is an excerpt: the reference is every unit in it. */
  notTheNation: (file: string, units: number, kind: UnitKind, municipalities: number, inSweden: number): Message => ({
    sv: `${file}: filen har ingen rad för riket och dess ${countText(units, 'sv')} ${unitWord(kind, units, 'sv')} ligger i ${municipalities} av landets ${inSweden} kommuner (ett utdrag?), så referensen är alla enheter i filen, inte riket. För riket: ladda ned hela filen från Skolverket.`,
    en: `${file}: the file has no row for the nation and its ${countText(units, 'en')} ${unitWord(kind, units, 'en')} lie in ${municipalities} of the country's ${inSweden} municipalities (an excerpt?), so the reference is every unit in the file, not the nation. For the nation, download the whole file from Skolverket.`,
  }),
  notTheNationNoMunicipalities: (file: string, units: number, kind: UnitKind): Message => ({
    sv: `${file}: filen har ingen rad för riket och säger inte i vilka kommuner dess ${countText(units, 'sv')} ${unitWord(kind, units, 'sv')} ligger, så referensen är alla enheter i filen, inte riket.`,
    en: `${file}: the file has no row for the nation and does not say which municipalities its ${countText(units, 'en')} ${unitWord(kind, units, 'en')} lie in, so the reference is every unit in the file, not the nation.`,
  }),
  /**
   * A --reference-unit name that several units carry: the candidates (at most `shown` of
   * `total`), and how to say which (a qualifier "Name, Municipality", or the unit's code).
   */
  ambiguousUnit: (a: {
    file: string;
    text: string;
    kind: UnitKind;
    candidates: readonly UnitCandidate[];
    total: number;
    /** Every candidate in another municipality, or the one municipality they share. */
    municipalities: number;
    notIn: string | null;
    qualified: string | null;
    /** Every candidate shown has a code (the first is the example). */
    codes: readonly string[] | null;
  }): Message => {
    const schools = a.kind === 'school';
    const code = { sv: schools ? 'skolenhetskod' : 'kod', en: schools ? 'school unit code' : 'code' };
    const lines = (lang: MessageLang) =>
      a.candidates
        .map((value) => {
          const where = [value.unit_code === null ? null : `${code[lang]} ${value.unit_code}`, `${lang === 'sv' ? 'rad' : 'line'} ${value.line}`].filter((part) => part !== null).join(', ');
          return `  ${value.unit}${value.municipality === null ? '' : `, ${value.municipality}`} (${where})`;
        })
        .join('\n') + (a.total > a.candidates.length ? `\n  … (${a.total - a.candidates.length} ${lang === 'sv' ? 'till' : 'more'})` : '');
    const example = a.candidates[0];
    const notIn = a.notIn === null ? { sv: '', en: '' } : { sv: ` (ingen av dem ligger i ${a.notIn})`, en: ` (none of them is in ${a.notIn})` };
    const first = a.codes?.[0];
    const ways = (codeWay: string) => [a.qualified === null ? null : `--reference-unit ${a.qualified}`, first === undefined ? null : codeWay].filter((part) => part !== null);
    const pool = a.codes === null ? null : a.codes.join(', ');
    return {
      sv: [
        a.municipalities > 1
          ? `${a.file}: "${a.text}" är namnet på ${a.total} ${unitWord(a.kind, a.total, 'sv')} i olika kommuner${notIn.sv}:`
          : `${a.file}: "${a.text}" är ${a.total} ${unitWord(a.kind, a.total, 'sv')}${example?.municipality ? ` i ${example.municipality}` : ''}${notIn.sv}:`,
        lines('sv'),
        `Ange vilken: ${ways(`${code.sv}en (--reference-unit ${first})`).join(' eller ')}` + (pool === null ? '.' : `. För att slå ihop dem, räkna upp koderna: --reference-unit "${pool}".`),
      ].join('\n'),
      en: [
        a.municipalities > 1
          ? `${a.file}: "${a.text}" is the name of ${a.total} ${unitWord(a.kind, a.total, 'en')} in different municipalities${notIn.en}:`
          : `${a.file}: "${a.text}" is ${a.total} ${unitWord(a.kind, a.total, 'en')}${example?.municipality ? ` in ${example.municipality}` : ''}${notIn.en}:`,
        lines('en'),
        `Say which: ${ways(`its ${code.en} (--reference-unit ${first})`).join(' or ')}` + (pool === null ? '.' : `. To pool them, list the codes: --reference-unit "${pool}".`),
      ].join('\n'),
    };
  },
  // --- report --school and --per-school (commands/report.ts, commands/report-school.ts) ------------
  schoolBlank: (): Message => ({ sv: '--school: ange en skolas namn', en: '--school: give a school\'s name' }),
  schoolAndPerSchool: (): Message => ({
    sv: '--school och --per-school kan inte användas tillsammans (--per-school skriver redan ett underlag per skola)',
    en: '--school and --per-school cannot be used together (--per-school already writes a sheet per school)',
  }),
  perSchoolWithOutput: (): Message => ({
    sv: '--per-school skriver en fil per skola i mappen; -o/--output kan inte användas samtidigt',
    en: '--per-school writes a file per school into the folder; -o/--output cannot be used with it',
  }),
  perSchoolBlank: (): Message => ({ sv: '--per-school: ange en mapp', en: '--per-school: give a folder' }),
  perSchoolNotFolder: (dir: string): Message => ({ sv: `--per-school ${dir}: är inte en mapp`, en: `--per-school ${dir}: is not a folder` }),
  listCasesNeedsSchool: (): Message => ({
    sv: 'report --list-cases fungerar bara med --school eller --per-school (rapporten till nämnden listar aldrig elever)',
    en: 'report --list-cases only works with --school or --per-school (the board report never lists pupils)',
  }),
  /** An unknown --school: the closest names, else the first of the schools in the exports. */
  schoolUnknown: (given: string, close: readonly string[], some: readonly string[], total: number): Message => {
    const list = (names: readonly string[]) => names.map((name) => `"${name}"`).join(', ');
    const more = (lang: MessageLang) => (total > some.length ? (lang === 'sv' ? ` … (${total} skolor)` : ` … (${total} schools)`) : '');
    if (total === 0) return { sv: `--school "${given}": exporterna anger ingen skola`, en: `--school "${given}": the exports name no school` };
    return close.length > 0
      ? { sv: `--school "${given}": ingen skola med det namnet i exporterna; närmast: ${list(close)}`, en: `--school "${given}": no school of that name in the exports; closest: ${list(close)}` }
      : { sv: `--school "${given}": ingen skola med det namnet i exporterna; de som finns: ${list(some)}${more('sv')}`, en: `--school "${given}": no school of that name in the exports; they hold: ${list(some)}${more('en')}` };
  },
  schoolAmbiguous: (given: string, matches: readonly string[]): Message => ({
    sv: `--school "${given}": ${matches.length} skolor har det namnet om man bortser från versaler, mellanslag och accenter: ${matches.map((name) => `"${name}"`).join(', ')}; skriv namnet exakt som i exporterna`,
    en: `--school "${given}": ${matches.length} schools have that name when case, spaces and accents are ignored: ${matches.map((name) => `"${name}"`).join(', ')}; write the name exactly as in the exports`,
  }),
  noSchools: (): Message => ({ sv: 'inga skolor: exporterna anger ingen skola, så inget underlag per skola kan skrivas', en: 'no schools: the exports name no school, so no sheet per school can be written' }),
  schoolWritten: (school: string, file: string): Message => ({ sv: `underlaget för ${school} skrevs till ${file}`, en: `the sheet for ${school} was written to ${file}` }),
  perSchoolWritten: (count: number, dir: string): Message => ({
    sv: `${countText(count, 'sv')} ${plural(count, 'underlag', 'underlag')} (ett per skola) skrevs till ${dir}`,
    en: `${countText(count, 'en')} ${plural(count, 'sheet', 'sheets')} (one per school) written to ${dir}`,
  }),

  // --- background columns (--by nyanländ, --adjust-for; normalise/background.ts) ---------------------
  /** `option`: where the word came from (--by, --adjust-for, the config's by or adjust_for). */
  unknownByColumn: (what: string, swedish: string, english: string, columns: readonly string[], option = '--by'): Message => ({
    sv: `${option}: okänd indelning ${what}; välj bland ${swedish} (eller ${english}), eller en bakgrundskolumn i exporterna: ${columns.length > 0 ? columns.join(', ') : '(exporterna har inga andra kolumner)'}`,
    en: `${option}: unknown dimension ${what}; choose from ${english} (or in Swedish: ${swedish}), or a background column of the exports: ${columns.length > 0 ? columns.join(', ') : '(the exports have no other columns)'}`,
  }),
  backgroundColumnMissing: (what: string, headers: readonly string[], columns: readonly string[], option = '--by'): Message => ({
    sv: `${option} ${what}: ingen export har en sådan kolumn (sökte efter ${headers.join(', ')}); kolumner som inte används: ${columns.length > 0 ? columns.join(', ') : '(inga)'}. Ange exportens rubrik, eller lägg till den under "background" i konfigurationen`,
    en: `${option} ${what}: no export has such a column (looked for ${headers.join(', ')}); columns not used: ${columns.length > 0 ? columns.join(', ') : '(none)'}. Give the export's header, or add it under "background" in the config`,
  }),
  backgroundPersonalColumn: (what: string, option = '--by'): Message => ({
    sv: `${option} ${what}: kolumnen säger vem eleven är (namn, kontaktuppgifter, födelsedatum); en sådan kolumn blir aldrig en indelning, eftersom dess värden då skulle visas som gruppnamn`,
    en: `${option} ${what}: the column says who the pupil is (names, contact details, birth dates); such a column is never a dimension, since its values would then be shown as group names`,
  }),
  /** A background column whose values say who a pupil is (commands/shared.ts checkBackgroundValues): why, never a value. */
  backgroundPersonalValues: (what: string, why: 'email' | 'date' | 'name' | 'personal_id' | 'unique', option = '--by', unique = { alone: 0, valued: 0 }): Message => {
    const reasons: Record<typeof why, Message> = {
      email: { sv: 'de flesta cellerna är e-postadresser', en: 'most of its cells are e-mail addresses' },
      date: { sv: 'de flesta cellerna är datum, som födelsedatum', en: 'most of its cells are dates, like birth dates' },
      name: { sv: 'de flesta cellerna ser ut som namn', en: 'most of its cells look like names' },
      personal_id: { sv: 'de flesta cellerna är personnummer', en: 'most of its cells are personnummer' },
      unique: {
        sv: `${countText(unique.alone, 'sv')} av ${countText(unique.valued, 'sv')} elever med ett värde har ett som ingen annan elev har`,
        en: `${countText(unique.alone, 'en')} of the ${countText(unique.valued, 'en')} pupils with a value have one no other pupil has`,
      },
    };
    return {
      sv: `${option} ${what}: kolumnens värden säger vem eleven är (${reasons[why].sv}); en sådan kolumn blir aldrig en indelning, eftersom dess värden då skulle visas som gruppnamn`,
      en: `${option} ${what}: the column's values say who the pupil is (${reasons[why].en}); such a column is never a dimension, since its values would then be shown as group names`,
    };
  },
  /** Rare background categories pooled into one (normalise/background.ts poolRare). */
  backgroundPooled: (name: string, categories: number, pupils: number, minGroup: number): Message => ({
    sv: `${name}: ${countText(categories, 'sv')} ${plural(categories, 'kategori', 'kategorier')} med färre än ${minGroup} elever (${countText(pupils, 'sv')} ${plural(pupils, 'elev', 'elever')}) visas tillsammans som (övriga), så att ingen sällsynt kategori kan peka ut en elev`,
    en: `${name}: ${countText(categories, 'en')} ${plural(categories, 'category', 'categories')} with fewer than ${minGroup} pupils (${countText(pupils, 'en')} ${plural(pupils, 'pupil', 'pupils')}) shown together as (övriga), so that no rare category can single out a pupil`,
  }),
  /** Rows whose background cell was not read as written (normalise/background.ts, CellReason); values as the ledger shows them (`[text, 13 characters]`). */
  pooledStrata: (sv: readonly string[], en: readonly string[]): Message => ({
    sv: `${listed(sv, 'och')} är inte med i --by, så varje grupp lägger ihop dem: Elever räknar då elevens resultat (en elev med betyg och prov i tre ämnen räknas tre gånger), och för att ändå skydda elever gäller --min-group gånger det antal resultat en elev kan ha i en grupp, så fler grupper döljs. Lägg till ${listed(sv, 'och')} i --by för att räkna elever`,
    en: `${listed(en, 'and')} ${en.length > 1 ? 'are' : 'is'} not in --by, so each group adds them together: Pupils then counts a pupil's results (a pupil with grades and tests in three subjects counts three times), and to protect pupils all the same --min-group is multiplied by the number of results a pupil can have in a group, so more groups are hidden. Add ${listed(en, 'and')} to --by to count pupils`,
  }),
  backgroundUnread: (name: string, personal: number, unmapped: Readonly<Record<string, number>>): Message => {
    const values = Object.entries(unmapped);
    const rows = values.reduce((sum, [, count]) => sum + count, 0);
    const listIn = (lang: 'sv' | 'en') =>
      values
        .slice(0, 5)
        .map(([value, count]) => `"${lang === 'sv' ? value.replace(/^\[text, (\d+) characters?\]$/, '[text, $1 tecken]').replace(/^\[hidden: looks like an id\]$/, '[dolt: ser ut som ett id]') : value}" ×${count}`)
        .join(', ') + (values.length > 5 ? ', …' : '');
    const sv: string[] = [];
    const en: string[] = [];
    if (personal > 0) {
      sv.push(`${countText(personal, 'sv')} ${plural(personal, 'rad', 'rader')} med ett personnummer i kolumnen (läses som tom, visas aldrig)`);
      en.push(`${countText(personal, 'en')} ${plural(personal, 'row', 'rows')} with a personnummer in the column (read as blank, never shown)`);
    }
    if (rows > 0) {
      sv.push(`${countText(rows, 'sv')} ${plural(rows, 'rad', 'rader')} med värden som konfigurationens "values" inte nämner (${listIn('sv')}; visas som egna värden)`);
      en.push(`${countText(rows, 'en')} ${plural(rows, 'row', 'rows')} with values the config's "values" do not name (${listIn('en')}; shown as values of their own)`);
    }
    return { sv: `${name}: ${sv.join('; ')}`, en: `${name}: ${en.join('; ')}` };
  },
  adjustForBuiltin: (what: string): Message => ({
    sv: `--adjust-for ${what}: inte en bakgrundskolumn; den standardiserade skillnaden jämför redan inom läsår, årskurs, ämne och (med kön i --by) kön`,
    en: `--adjust-for ${what}: not a background column; the standardised gap already compares within school year, grade level, subject and (with gender in --by) gender`,
  }),
  backgroundConflicts: (name: string, count: number, examples: readonly string[]): Message => ({
    sv: `${name}: ${countText(count, 'sv')} ${plural(count, 'elev och läsår', 'elever och läsår')} med olika värden på olika rader (${examples.join(', ')}${count > examples.length ? ', …' : ''}); räknas som (okänd) det läsåret, deras resultat räknas som vanligt`,
    en: `${name}: ${countText(count, 'en')} ${plural(count, 'pupil and school year', 'pupils and school years')} with different values on different rows (${examples.join(', ')}${count > examples.length ? ', …' : ''}); counted as (okänd) that school year, their results as usual`,
  }),

  // --- Excel workbooks (read/inputs.ts, read/xlsx.ts, normalise/sources.ts, commands/references.ts) ---
  /** A workbook in a format that is not read (.xls, .ods): what it is and how to save it so it is. */
  oldSpreadsheet: (file: string, kind: 'xls' | 'ods', hint: Message | null = null): Message => {
    const what = {
      xls: { sv: 'en Excel-fil i det äldre .xls-formatet', en: 'an Excel file in the older .xls format' },
      ods: { sv: 'ett LibreOffice-kalkylark (.ods)', en: 'a LibreOffice spreadsheet (.ods)' },
    }[kind];
    const save =
      kind === 'ods'
        ? { sv: 'Öppna den i LibreOffice Calc och spara den som Excel-arbetsbok (.xlsx) eller som "Text CSV (.csv)" med teckenkodningen Unicode (UTF-8)', en: 'Open it in LibreOffice Calc and save it as an Excel workbook (.xlsx) or as "Text CSV (.csv)" with the character set Unicode (UTF-8)' }
        : { sv: 'Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som "CSV UTF-8 (kommaavgränsad) (*.csv)"', en: 'Open it in Excel and save it as an Excel workbook (.xlsx) or as "CSV UTF-8 (Comma delimited) (*.csv)"' };
    return {
      sv: `${file}: filen är ${what.sv} och läses inte (.xlsx och CSV läses). ${save.sv}, och ange den filen i stället.${hint === null ? '' : ` ${hint.sv}`}`,
      en: `${file}: the file is ${what.en} and is not read (.xlsx and CSV are). ${save.en}, and give that file instead.${hint === null ? '' : ` ${hint.en}`}`,
    };
  },
  /** A workbook that cannot be opened or read (read/xlsx.ts XlsxError): what is wrong, and what to do. */
  workbookUnreadable: (file: string, problem: 'not_zip' | 'no_workbook' | 'broken_part' | 'no_sheet', detail: string): Message => {
    const why = {
      not_zip: { sv: 'den är inte en hel zip-fil: avbruten när den laddades ned eller kopierades, eller inte en arbetsbok', en: 'it is not a whole zip file: cut short when downloaded or copied, or not a workbook' },
      no_workbook: { sv: 'zip-filen innehåller ingen arbetsbok', en: 'the zip file holds no workbook' },
      broken_part: { sv: `delen ${detail} är skadad`, en: `the part ${detail} is damaged` },
      no_sheet: { sv: `bladet "${detail}" finns inte längre; ändrades filen under körningen?`, en: `the sheet "${detail}" is no longer there; did the file change during the run?` },
    }[problem];
    return {
      sv: `${file}: filen ser ut som en Excel-arbetsbok (.xlsx) men kan inte läsas: ${why.sv}. Öppna den i Excel och spara den igen, eller spara bladet som "CSV UTF-8 (kommaavgränsad) (*.csv)"`,
      en: `${file}: the file looks like an Excel workbook (.xlsx) but cannot be read: ${why.en}. Open it in Excel and save it again, or save the sheet as "CSV UTF-8 (Comma delimited) (*.csv)"`,
    };
  },
  workbookEncrypted: (file: string): Message => ({
    sv: `${file}: arbetsboken är lösenordsskyddad (krypterad) och kan inte läsas. Öppna den i Excel, ta bort lösenordet (Arkiv → Info → Skydda arbetsbok → Kryptera med lösenord, töm fältet) och spara den, eller spara bladet som "CSV UTF-8 (kommaavgränsad) (*.csv)"`,
    en: `${file}: the workbook is password-protected (encrypted) and cannot be read. Open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, clear the field) and save it, or save the sheet as "CSV UTF-8 (Comma delimited) (*.csv)"`,
  }),
  workbookWithoutSheets: (file: string, hidden: number): Message => ({
    sv: `${file}: arbetsboken har inget synligt kalkylblad${hidden > 0 ? ` (${countText(hidden, 'sv')} ${plural(hidden, 'dolt blad', 'dolda blad')} läses inte: visa bladet i Excel om det är det som ska läsas)` : ''}`,
    en: `${file}: the workbook has no visible worksheet${hidden > 0 ? ` (${countText(hidden, 'en')} hidden ${plural(hidden, 'sheet is', 'sheets are')} not read: unhide the sheet in Excel if it is the one to read)` : ''}`,
  }),
  folderWithoutReadableTables: (folder: string, unread: boolean): Message => ({
    sv: `${folder}: mappen har inga .csv-, .tsv-, .txt- eller .xlsx-filer${unread ? ' (filer i formaten .xls, .ods och .numbers läses inte: spara dem som Excel-arbetsbok (.xlsx) eller "CSV UTF-8")' : ''}`,
    en: `${folder}: folder holds no .csv, .tsv, .txt or .xlsx files${unread ? ' (.xls, .ods and .numbers files are not read: save them as an Excel workbook (.xlsx) or "CSV UTF-8")' : ''}`,
  }),
  /** --reference with a workbook: no visible sheet is a table of published figures (the first one's problem is given). */
  referenceWorkbookNoTable: (file: string, first: Message): Message => ({
    sv: `${file}: inget blad i arbetsboken är en tabell med publicerade siffror; ${first.sv}`,
    en: `${file}: no sheet of the workbook is a table of published figures; ${first.en}`,
  }),
} as const;
