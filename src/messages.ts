/**
 * Every message a user reads outside the reports themselves (errors, warnings, notes on stderr),
 * in Swedish and English, in one catalogue. A message is made where the problem is found, with
 * both texts; src/cli.ts prints the one of the run's language (--lang, Swedish by default).
 * `Error.message` holds the English text (for SKA_DEBUG stack traces and tests).
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
export function join(...parts: readonly (Message | string)[]): Message {
  return {
    sv: parts.map((part) => (typeof part === 'string' ? part : part.sv)).join(''),
    en: parts.map((part) => (typeof part === 'string' ? part : part.en)).join(''),
  };
}

export function say(message: Message | string, lang: MessageLang): string {
  return typeof message === 'string' ? message : message[lang];
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

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

  // --- inputs (read/inputs.ts) -------------------------------------------------------------
  noInputs: (): Message => ({
    sv: 'inga indatafiler angivna (ange en eller flera CSV-filer, en mapp eller - för stdin)',
    en: 'no input files given (pass one or more CSV files, a folder, or - for stdin)',
  }),
  stdinTwice: (): Message => ({ sv: '- (stdin) kan bara anges en gång', en: '- (stdin) can be given only once' }),
  folderWithoutTables: (folder: string, excel: boolean): Message => ({
    sv: `${folder}: mappen har inga .csv-, .tsv- eller .txt-filer${excel ? ' (Excel-filer läses inte: spara dem som "CSV UTF-8" i Excel)' : ''}`,
    en: `${folder}: folder holds no .csv, .tsv or .txt files${excel ? ' (Excel files are not read yet: save them as "CSV UTF-8" in Excel)' : ''}`,
  }),

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
  earlierShape: (file: string, where: string, command: string): Message => ({
    sv: `${file}: ${where} (väntade JSON från en tidigare körning av "ska-analyze ${command} --format json")`,
    en: `${file}: ${where} (expected the JSON of an earlier "ska-analyze ${command} --format json" run)`,
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
} as const;
