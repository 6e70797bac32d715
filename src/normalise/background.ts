/**
 * Background columns as dimensions (`--by nyanländ`, `--by "Elevens stödnivå"`): which columns,
 * what their cells mean, and how a pupil's value per school year is decided.
 *
 * - A background column is any column of an export that is not one of the fields (headers.ts).
 *   The usual ones have names and aliases here (nyanländ, modersmål, svenska som andraspråk,
 *   särskilt stöd / åtgärdsprogram, föräldrarnas utbildningsnivå); any other is named by its
 *   header, matched as headers are (case, spaces, punctuation and diacritics ignored); the config
 *   adds aliases and value mappings (`background` in ska.config.json).
 * - Cells: `Ja/Nej`, `1/0`, `true/false`, `yes/no` and a lone `X` (with blank for no) are yes and
 *   no; anything else is a category of its own (föräldrarnas utbildningsnivå: förgymnasial,
 *   gymnasial, eftergymnasial), the same category whatever its case or spacing. Whether `1/0`
 *   and `X` mean yes/no depends on the whole column, so a file's column is classified when the
 *   file has been read (`classifyColumn`): a column whose every value is a yes/no word, 1/0 or a
 *   marker is a yes/no column; in one whose only values are markers (`X`, `✓`), a blank cell is
 *   no; in any other column a blank cell, `saknas`, `okänd`, `-` say nothing.
 * - A pupil's value is per school year: every row of that pupil and year (any file) that says
 *   something must say the same; rows that disagree make the pupil's value unknown for that year
 *   (`(okänd)`), and are counted. A pupil and year no row says anything about is `(saknas)`.
 *   Neither leaves out the pupil's results: they count in every total as before.
 * - Privacy: a column that says who a pupil is, by its header (isPersonalHeader) or its values
 *   (personalShape, counted per file in `shapes`; commands/shared.ts refuses it), is never a
 *   dimension; a value the config does not name is shown by its shape only (ledger.ts maskedDetail);
 *   and categories fewer than --min-group pupils have are pooled into OTHER_VALUE (poolRare)
 *   before anything is grouped, so that no rare category's name is ever shown.
 */
import type { Message } from '../messages.js';
import type { BackgroundDimension } from '../types.js';
import { NumberIndex } from '../read/byte-dict.js';
import { maskedDetail } from './ledger.js';
import { containsPersonalId } from './pupil-id.js';
import { fold, tidy } from './text.js';

/** What a background dimension is, and which column in each export holds it. */
export interface BackgroundSpec {
  key: BackgroundDimension;
  /** A usual factor, a config entry, or a column named by its header alone. */
  kind: 'usual' | 'config' | 'column';
  /** What people call it (tables, --excel): the usual name, the config's label, or the header as given. */
  label: Message;
  /** Headers that name the column (matched folded), in order of preference. */
  headers: readonly string[];
  /** A cell's value, folded → its category, from the config (`""`: a blank cell). */
  values: Readonly<Record<string, string>>;
}

/** The usual background factors: key, name and the headers exports use for them. */
const KNOWN: readonly { key: BackgroundDimension; label: Message; headers: readonly string[] }[] = [
  {
    key: 'bg_newly_arrived',
    label: { sv: 'Nyanländ', en: 'Newly arrived' },
    headers: ['Nyanländ', 'Nyanlända', 'Nyanländ elev', 'Nyanländ (inom fyra år)', 'Nyanländ inom 4 år', 'Nyanländ senaste 4 åren', 'Nyinvandrad', 'Invandrad senaste fyra åren', 'newly_arrived', 'newly arrived'],
  },
  {
    key: 'bg_mother_tongue',
    label: { sv: 'Modersmål', en: 'Mother tongue' },
    headers: ['Modersmål', 'Annat modersmål', 'Annat modersmål än svenska', 'Modersmål annat än svenska', 'Modersmålsundervisning', 'Förstaspråk', 'mother_tongue', 'mother tongue', 'first language'],
  },
  {
    key: 'bg_second_language',
    label: { sv: 'Svenska som andraspråk', en: 'Swedish as a second language' },
    headers: ['Svenska som andraspråk', 'Svenska som andra språk', 'Läser svenska som andraspråk', 'Läser sva', 'Sva-elev', 'second_language', 'swedish as a second language'],
  },
  {
    key: 'bg_special_support',
    label: { sv: 'Särskilt stöd', en: 'Special support' },
    headers: ['Särskilt stöd', 'Åtgärdsprogram', 'Har åtgärdsprogram', 'ÅP', 'Särskilt stöd (åtgärdsprogram)', 'special_support', 'special support'],
  },
  {
    key: 'bg_parental_education',
    label: { sv: 'Föräldrarnas utbildningsnivå', en: "Parents' education" },
    headers: [
      'Föräldrarnas utbildningsnivå',
      'Föräldrars utbildningsnivå',
      'Föräldrarnas utbildning',
      'Föräldrarnas högsta utbildning',
      'Högsta utbildningsnivå föräldrar',
      'Utbildningsnivå föräldrar',
      'Vårdnadshavares utbildningsnivå',
      'parental_education',
      'parents education',
    ],
  },
];

/** The usual factors' names, for help texts and the docs. */
export const KNOWN_BACKGROUND_NAMES: readonly Message[] = KNOWN.map((known) => ({ sv: known.label.sv.toLowerCase(), en: known.key.slice(3) }));

/** `Elevens stödnivå` → `elevens_stodniva`: lower case, diacritics off, runs of anything else one `_`. */
function slugOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Headers of columns that say who a pupil is (names, contact details, birth dates, guardians,
 * ids): never a dimension (their values would be printed as group names) and never offered as
 * one. A header is such a column when, folded (case, spaces, punctuation and diacritics off), it
 * contains one of PERSONAL_STEMS (`Elevens namn`, `Vårdnadshavare 1`, `E-postadress`,
 * `Födelsedatum (ÅÅMMDD)`), when one of its words is one of PERSONAL_WORDS (`Ort`, `Tel`, `Kontakt`), or when
 * it names a person and nothing else (`Elev`, `Student`, `Elev-ID`). Not: the usual factors'
 * headers (`Föräldrarnas utbildningsnivå`), a header that says what it tells about a guardian
 * (`Vårdnadshavares yrke`), a country of birth (`Födelseland`), nor a header that names an
 * attribute of the pupil (`Elevens stödnivå`).
 */
const PERSONAL_STEMS = [
  'namn', 'name', 'epost', 'email', 'mail', 'adress', 'address', 'postnummer', 'postnr', 'telefon', 'phone', 'mobilnummer', 'mobilnr',
  'personnummer', 'personnr', 'samordningsnummer', 'fodelse', 'birth', 'fodd', 'vardnadshavar', 'guardian', 'forald', 'parent', 'kontaktperson',
  'kontaktuppgift', 'anhorig',
];
/** Stems of a guardian, not personal where the header says what it tells about them (their education, their occupation). */
const GUARDIAN_STEMS = ['vardnadshavar', 'guardian', 'forald', 'parent'];
const GUARDIAN_ATTRIBUTES = ['utbildning', 'education', 'yrke', 'occupation', 'sysselsattning', 'employment', 'inkomst', 'income', 'fodelseland', 'fodda', 'fodd', 'birth', 'bakgrund', 'background', 'utlandsk', 'svensk'];
/** A birth stem, not personal in a country of birth (`Födelseland`, `Född i Sverige`). */
const BIRTH_STEMS = ['fodelse', 'birth', 'fodd'];
const BIRTH_COUNTRY = ['land', 'country', 'sverige', 'sweden', 'utomlands', 'abroad'];
const PERSONAL_WORDS = new Set(['ort', 'bostadsort', 'hemort', 'postort', 'folkbokforingsort', 'tel', 'tfn', 'mobil', 'pnr', 'ssn', 'elevid', 'personid', 'studentid', 'pupilid', 'kontakt', 'contact']);
/** Words that name a person: a header of only these (and numbers, and `id`) holds names or ids. */
const PERSON_WORDS = new Set(['elev', 'eleven', 'elevens', 'elever', 'student', 'students', 'pupil', 'pupils', 'person', 'individ', 'barn', 'barnet', 'barnets', 'id']);

/** The words of a header: diacritics off, lower case, split at anything but letters and digits. */
function headerWords(header: string): string[] {
  return header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** True for a header of a column that says who a pupil is (see PERSONAL_STEMS). */
export function isPersonalHeader(header: string): boolean {
  const folded = fold(header);
  if (folded === '') return false;
  if (KNOWN.some((known) => known.headers.some((name) => fold(name) === folded))) return false;
  const has = (stems: readonly string[]) => stems.some((stem) => folded.includes(stem));
  const stems = PERSONAL_STEMS.filter((stem) => folded.includes(stem));
  const personal = stems.filter((stem) => {
    if (GUARDIAN_STEMS.includes(stem)) return !has(GUARDIAN_ATTRIBUTES);
    if (BIRTH_STEMS.includes(stem)) return !has(BIRTH_COUNTRY);
    return true;
  });
  if (personal.length > 0) return true;
  const words = headerWords(header);
  if (words.some((word) => PERSONAL_WORDS.has(word))) return true;
  const named = words.filter((word) => !/^\d+$/.test(word));
  return named.length > 0 && named.every((word) => PERSON_WORDS.has(word));
}

/** A config `background` entry, as checked by config.ts. */
export interface BackgroundConfigEntry {
  columns?: string | readonly string[] | undefined;
  label?: string | undefined;
  values?: Readonly<Record<string, string>> | undefined;
}

/**
 * The background dimension a --by word (or a config `by`/`adjust_for` entry) names: a config
 * entry (by its key, label or a column), a usual factor (by its key or a header alias), or else a
 * column of that header. Null for a word with no letters or digits.
 */
export function backgroundSpec(word: string, config: Readonly<Record<string, BackgroundConfigEntry>> = {}): BackgroundSpec | null {
  const wanted = fold(word.replace(/^bg_/i, ''));
  if (wanted === '') return null;
  const configured = (key: string, entry: BackgroundConfigEntry, base: (typeof KNOWN)[number] | undefined): BackgroundSpec => {
    const columns = typeof entry.columns === 'string' ? [entry.columns] : [...(entry.columns ?? [])];
    const label = entry.label ?? base?.label.sv ?? columns[0] ?? key;
    return {
      key: base?.key ?? (`bg_${slugOf(key)}` as BackgroundDimension),
      kind: 'config',
      label: entry.label === undefined && base ? base.label : { sv: label, en: label },
      headers: [...columns, ...(base?.headers ?? (columns.length === 0 ? [key] : []))],
      values: Object.fromEntries(Object.entries(entry.values ?? {}).map(([from, to]) => [fold(from), tidy(to)])),
    };
  };
  const knownOf = (key: string) => KNOWN.find((known) => fold(known.key.slice(3)) === fold(key) || known.headers.some((header) => fold(header) === fold(key)));
  for (const [key, entry] of Object.entries(config)) {
    const columns = typeof entry.columns === 'string' ? [entry.columns] : (entry.columns ?? []);
    const names = [key, entry.label ?? '', ...columns];
    const base = knownOf(key);
    if (names.some((name) => fold(name) === wanted) || (base !== undefined && base.headers.some((header) => fold(header) === wanted))) return configured(key, entry, base);
  }
  const known = knownOf(wanted);
  if (known) return { key: known.key, kind: 'usual', label: known.label, headers: known.headers, values: {} };
  const slug = slugOf(word.replace(/^bg_/i, ''));
  const name = tidy(word);
  return { key: `bg_${slug}`, kind: 'column', label: { sv: name, en: name }, headers: [name], values: {} };
}

/**
 * The column of each background dimension in a file's header: the first header a spec names
 * (in the spec's order) that is not one of the fields; -1 where the file has none.
 */
export function matchBackground(headers: readonly string[], specs: readonly BackgroundSpec[], taken: ReadonlySet<number>): number[] {
  const folded = headers.map(fold);
  return specs.map((spec) => {
    for (const header of spec.headers) {
      const index = folded.findIndex((name, i) => name === fold(header) && !taken.has(i));
      if (index >= 0) return index;
    }
    return -1;
  });
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * Canonical categories every background dimension shares: yes and no (JSON `yes`/`no`).
 * @internal (also used by tests)
 */
export const YES = 0;
/** @internal (also used by tests) */
export const NO = 1;
/** A pupil and school year no row says anything about. */
export const NO_VALUE = -1;
/** Rows of the same pupil and school year that disagree. */
export const DISAGREE = -4;
/**
 * The category rare categories are pooled into (BackgroundTable.poolRare), written like
 * `(saknas)` and `(okänd)`: the same in every format and language.
 */
export const OTHER_VALUE = '(övriga)';

/** How a distinct cell text of a background column reads on its own. */
type CellClass = 'blank' | 'yes_word' | 'no_word' | 'one' | 'zero' | 'marker' | 'category' | 'mapped';

const YES_WORDS = new Set(['ja', 'j', 'yes', 'y', 'true', 'sant']);
const NO_WORDS = new Set(['nej', 'n', 'no', 'false', 'falskt', 'falsk']);
const MARKERS = new Set(['x', '✓', '✔', '×', '*']);
/** Words that say the value is not known: read as a blank cell. */
const MISSING_WORDS = new Set(['saknas', 'uppgiftsaknas', 'okand', 'vetej', 'ejangivet', 'ejangiven', 'na', 'null', 'none', 'unknown']);

/**
 * Why a cell is not read as written, counted per file and column (never dropped silently):
 * `personal_id`: the cell holds a personnummer (a shifted column), read as blank and never shown;
 * `unmapped`: the config gives the column's values and does not name this one, so it is a value
 * of its own as written.
 */
type CellReason = 'personal_id' | 'unmapped';

/** A distinct cell text, classified: its class, its label, and why it is not read as written (if so). */
export interface ClassifiedCell {
  cls: CellClass;
  label: string;
  reason?: CellReason;
}

/**
 * What a cell says before its column is known. `text` is the cell as read.
 * @internal (also used by tests)
 */
export function classifyCell(text: string, values: Readonly<Record<string, string>>): ClassifiedCell {
  const trimmed = tidy(text);
  const key = fold(trimmed);
  const mapped = values[key];
  if (mapped !== undefined) return { cls: 'mapped', label: mapped };
  // A cell that already says one of the categories the config maps to is that category.
  const target = Object.values(values).find((to) => to !== '' && fold(to) === key);
  if (target !== undefined) return { cls: 'mapped', label: target };
  // A personnummer in a background cell (a shifted column) is never shown as a category.
  if (containsPersonalId(trimmed)) return { cls: 'blank', label: '', reason: 'personal_id' };
  if (trimmed === '' || MISSING_WORDS.has(key)) return { cls: 'blank', label: '' };
  const marker = MARKERS.has(trimmed.toLowerCase());
  // Punctuation alone (`-`, `?`) says nothing.
  if (key === '' && !marker) return { cls: 'blank', label: '' };
  const cell = ((): ClassifiedCell => {
    if (marker) return { cls: 'marker', label: trimmed };
    if (YES_WORDS.has(key)) return { cls: 'yes_word', label: trimmed };
    if (NO_WORDS.has(key)) return { cls: 'no_word', label: trimmed };
    if (key === '1') return { cls: 'one', label: trimmed };
    if (key === '0') return { cls: 'zero', label: trimmed };
    return { cls: 'category', label: trimmed };
  })();
  return Object.keys(values).length > 0 ? { ...cell, reason: 'unmapped' } : cell;
}

/** How a file's column reads, from the classes of its distinct non-blank cells. */
interface ColumnStyle {
  /** Every value is yes/no: 1/0 and markers are yes/no too. */
  yesNo: boolean;
  /** Only markers (and maybe yes words): a blank cell is no. */
  blankIsNo: boolean;
}

/** @internal (also used by tests) */
export function classifyColumn(classes: Iterable<CellClass>): ColumnStyle {
  let yesNo = true;
  let marker = false;
  let no = false;
  let any = false;
  for (const cls of classes) {
    if (cls === 'blank' || cls === 'mapped') continue;
    any = true;
    if (cls === 'category') yesNo = false;
    if (cls === 'marker') marker = true;
    if (cls === 'no_word' || cls === 'zero') no = true;
  }
  return { yesNo: any && yesNo, blankIsNo: any && yesNo && marker && !no };
}

/**
 * A cell's value in a column of `style`: YES, NO, NO_VALUE, or a category (by `category`, which
 * interns a label case- and space-insensitively). `1`, `0` and markers are yes/no only in a yes/no
 * column; elsewhere they are categories as written.
 * @internal (also used by tests)
 */
export function cellValue(cell: { cls: CellClass; label: string }, style: ColumnStyle, category: (label: string) => number): number {
  switch (cell.cls) {
    case 'blank':
      return style.blankIsNo ? NO : NO_VALUE;
    case 'mapped':
      return cell.label === '' ? NO_VALUE : category(cell.label);
    case 'yes_word':
      return YES;
    case 'no_word':
      return NO;
    case 'one':
    case 'marker':
      return style.yesNo ? YES : category(cell.label);
    case 'zero':
      return style.yesNo ? NO : category(cell.label);
    case 'category':
      return category(cell.label);
  }
}

/** A category's identity: yes and no whatever the words, else the folded label. */
function categoryKey(label: string): string | number {
  const key = fold(label);
  if (YES_WORDS.has(key)) return YES;
  if (NO_WORDS.has(key)) return NO;
  return key === '' ? label : key;
}

/**
 * What a cell looks like when it says who someone is, not what they are: an e-mail address, a
 * date (a birth date: `2011-04-12`, `12.4.2011`, `110412`, `20110412`), or a name (two or more
 * capitalised words: `Anna Testsson`, `Testsson, Anna`). Null for anything else.
 * @internal (also used by tests)
 */
export function personalShape(text: string): PersonalShape | null {
  const trimmed = text.trim();
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(trimmed)) return 'email';
  if (/^\d{4}[-./]\d{1,2}[-./]\d{1,2}$/.test(trimmed) || /^\d{1,2}[-./]\d{1,2}[-./](\d{2}|\d{4})$/.test(trimmed)) return 'date';
  const digits = /^(\d{2}|\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (digits && Number(digits[2]) >= 1 && Number(digits[2]) <= 12 && Number(digits[3]) >= 1 && Number(digits[3]) <= 31) return 'date';
  if (/^\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?(?:,?\s+\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?)+$/u.test(trimmed)) return 'name';
  return null;
}

/** A kind of cell that says who someone is (personalShape), or a personnummer. */
type PersonalShape = 'email' | 'date' | 'name' | 'personal_id';

// ---------------------------------------------------------------------------------------------
// Per pupil and school year

/** The background values of every pupil and school year, one dimension after another (in the store). */
export class BackgroundTable {
  /** Category labels by id: yes, no, then categories as first met. */
  readonly categories: string[] = ['yes', 'no'];
  private readonly categoryIds = new Map<string | number, number>([
    [YES, YES],
    [NO, NO],
  ]);
  private readonly pupilYears = new NumberIndex(1024);
  pupilYearCount = 0;
  /** The pupil of each pupil-year. */
  private pupils = new Int32Array(1024);
  /** Per dimension, per pupil-year: a category id, NO_VALUE or DISAGREE. */
  private values: Int32Array[];
  /** Per dimension: pupil-years whose rows disagree. */
  readonly disagreements: number[];
  private lastKey = -1;
  private lastPupilYear = -1;

  constructor(readonly specs: readonly BackgroundSpec[]) {
    this.values = specs.map(() => new Int32Array(1024).fill(NO_VALUE));
    this.disagreements = specs.map(() => 0);
  }

  /** A category's id: case, spaces and punctuation do not make another category; yes and no words are yes and no. */
  category(label: string): number {
    const key = categoryKey(label);
    let id = this.categoryIds.get(key);
    if (id === undefined) {
      id = this.categories.length;
      this.categories.push(label);
      this.categoryIds.set(key, id);
    }
    return id;
  }

  /** The index of a pupil in a school year (the store's year index), made when first asked for. */
  pupilYear(pupil: number, year: number): number {
    const key = pupil * 256 + year;
    if (key === this.lastKey) return this.lastPupilYear;
    let index = this.pupilYears.get(key);
    if (index < 0) {
      index = this.pupilYearCount++;
      this.pupilYears.set(key, index);
      if (index >= (this.values[0]?.length ?? 0)) {
        this.values = this.values.map((old) => {
          const grown = new Int32Array(old.length * 2).fill(NO_VALUE);
          grown.set(old);
          return grown;
        });
      }
      if (index >= this.pupils.length) {
        const grown = new Int32Array(this.pupils.length * 2);
        grown.set(this.pupils);
        this.pupils = grown;
      }
      this.pupils[index] = pupil;
    }
    this.lastKey = key;
    this.lastPupilYear = index;
    return index;
  }

  /** A pupil's value in a school year: a category id, NO_VALUE or DISAGREE. */
  valueOf(dim: number, pupil: number, year: number): number {
    const index = this.pupilYears.get(pupil * 256 + year);
    return index < 0 ? NO_VALUE : (this.values[dim]?.[index] ?? NO_VALUE);
  }

  /**
   * A dimension's pupils (whatever the school year): how many have a value (yes, no or a
   * category), and the pupils of each category (not yes or no) by its id.
   */
  pupilsOf(dim: number): { valued: number; categories: Map<number, number> } {
    const values = this.values[dim];
    const valued = new Set<number>();
    const byCategory = new Map<number, Set<number>>();
    for (let i = 0; values && i < this.pupilYearCount; i++) {
      const value = values[i] ?? NO_VALUE;
      if (value < 0) continue;
      const pupil = this.pupils[i] ?? 0;
      valued.add(pupil);
      if (value === YES || value === NO) continue;
      let set = byCategory.get(value);
      if (!set) byCategory.set(value, (set = new Set()));
      set.add(pupil);
    }
    return { valued: valued.size, categories: new Map([...byCategory].map(([id, set]) => [id, set.size])) };
  }

  /**
   * Pool a dimension's categories (not yes and no) that fewer than `minGroup` pupils have in the
   * whole run into one, OTHER_VALUE, so that a rare category's name (a language only one pupil
   * speaks, a stray value) is never shown as a group: how many categories and pupils were pooled.
   */
  poolRare(dim: number, minGroup: number): { categories: number; pupils: number } {
    const values = this.values[dim];
    const { categories } = this.pupilsOf(dim);
    const other = categoryKey(OTHER_VALUE);
    const rare = new Set([...categories].filter(([id, pupils]) => pupils < minGroup && this.categoryIds.get(other) !== id).map(([id]) => id));
    if (!values || rare.size === 0) return { categories: 0, pupils: 0 };
    const pooled = this.category(OTHER_VALUE);
    const pupils = new Set<number>();
    for (let i = 0; i < this.pupilYearCount; i++) {
      if (!rare.has(values[i] ?? NO_VALUE)) continue;
      values[i] = pooled;
      pupils.add(this.pupils[i] ?? 0);
    }
    return { categories: rare.size, pupils: pupils.size };
  }

  /** Take a file's value for a pupil-year (or DISAGREE); true when it makes the pupil-year disagree. */
  merge(dim: number, pupilYear: number, value: number): boolean {
    const values = this.values[dim];
    if (!values || value === NO_VALUE) return false;
    const known = values[pupilYear] ?? NO_VALUE;
    if (known === value || known === DISAGREE) return false;
    if (known === NO_VALUE && value !== DISAGREE) {
      values[pupilYear] = value;
      return false;
    }
    values[pupilYear] = DISAGREE;
    this.disagreements[dim] = (this.disagreements[dim] ?? 0) + 1;
    return true;
  }
}

const UNSET = -1;

/** Pupil-years of one dimension whose rows disagree within or across files, found in one file. */
interface BackgroundConflicts {
  count: number;
  /** Up to five lines of rows that disagree with an earlier one. */
  lines: number[];
}

/** One file's background column, as the report of the file tells it. */
export interface FileBackgroundColumn {
  key: BackgroundDimension;
  /** The header, as in the file. */
  header: string;
  /** yes_no: Ja/Nej, 1/0, X (a blank cell no where only X is used); categories: any other values. */
  style: 'yes_no' | 'categories';
  conflicts: BackgroundConflicts;
  /**
   * Rows whose cell is not read as written, by reason (CellReason): a personnummer (read as
   * blank), a value the config's `values` do not name (a value of its own, listed in `unmapped`
   * as the ledger shows a rejected value: `[text, 13 characters]` unless plainly not a person).
   */
  unread: { personal_id: number; unmapped: Record<string, number> };
  /**
   * Rows whose cell says something (`rows`: not blank, a personnummer included), and of them
   * those whose cell looks like it says who someone is (personalShape; never the values).
   */
  shapes: { rows: number } & Record<PersonalShape, number>;
}

/**
 * One file's background cells, gathered while it is read and judged when it has been: a
 * column's values decide what its 1/0, X and blank cells mean (classifyColumn), so each pupil
 * and school year keeps the distinct cells its rows gave (two, and a list for the rare third)
 * until the end of the file, then gives the table its value.
 */
export class FileBackground {
  private readonly rawIds = new Map<string, number>();
  private readonly rawDim: number[] = [];
  private readonly rawCells: ClassifiedCell[] = [];
  /** Rows per distinct cell. */
  private readonly rawRows: number[] = [];
  private first: Int32Array[];
  private second: Int32Array[];
  private firstLine: Int32Array[];
  private secondLine: Int32Array[];
  private readonly more: Map<number, number[]>[];
  private readonly touched: number[][];

  constructor(
    private readonly table: BackgroundTable,
    /** The column of each dimension in this file (-1: none). */
    private readonly columns: readonly number[],
  ) {
    const make = () => columns.map(() => new Int32Array(1024).fill(UNSET));
    this.first = make();
    this.second = make();
    this.firstLine = make();
    this.secondLine = make();
    this.more = columns.map(() => new Map());
    this.touched = columns.map(() => []);
  }

  /** The id of a distinct cell text of a dimension's column in this file. */
  raw(dim: number, text: string): number {
    const key = `${dim}\u0001${text}`;
    let id = this.rawIds.get(key);
    if (id === undefined) {
      id = this.rawCells.length;
      this.rawIds.set(key, id);
      this.rawDim.push(dim);
      this.rawCells.push(classifyCell(text, this.table.specs[dim]?.values ?? {}));
      this.rawRows.push(0);
    }
    return id;
  }

  /** A row's cell (a raw id) for a pupil-year. */
  note(dim: number, pupilYear: number, raw: number, line: number): void {
    this.rawRows[raw] = (this.rawRows[raw] ?? 0) + 1;
    if (pupilYear >= (this.first[dim]?.length ?? 0)) this.grow(pupilYear + 1);
    const first = this.first[dim] as Int32Array;
    const known = first[pupilYear] ?? UNSET;
    if (known === UNSET) {
      first[pupilYear] = raw;
      (this.firstLine[dim] as Int32Array)[pupilYear] = line;
      this.touched[dim]?.push(pupilYear);
      return;
    }
    if (known === raw) return;
    const second = this.second[dim] as Int32Array;
    const other = second[pupilYear] ?? UNSET;
    if (other === UNSET) {
      second[pupilYear] = raw;
      (this.secondLine[dim] as Int32Array)[pupilYear] = line;
      return;
    }
    if (other === raw) return;
    const more = this.more[dim] as Map<number, number[]>;
    const list = more.get(pupilYear) ?? [];
    if (!list.includes(raw)) list.push(raw);
    more.set(pupilYear, list);
  }

  private grow(size: number): void {
    const grow = (arrays: Int32Array[]) =>
      arrays.map((old) => {
        const next = new Int32Array(Math.max(size, old.length * 2)).fill(UNSET);
        next.set(old);
        return next;
      });
    this.first = grow(this.first);
    this.second = grow(this.second);
    this.firstLine = grow(this.firstLine);
    this.secondLine = grow(this.secondLine);
  }

  /** At the end of the file: judge each column, give the table the file's values, count disagreements. */
  finish(headers: readonly string[]): FileBackgroundColumn[] {
    const out: FileBackgroundColumn[] = [];
    this.columns.forEach((column, dim) => {
      const spec = this.table.specs[dim];
      if (column < 0 || !spec) return;
      const classes = this.rawCells.filter((_, id) => this.rawDim[id] === dim).map((cell) => cell.cls);
      const style = classifyColumn(classes);
      const values = new Map<number, number>();
      const valueOf = (raw: number): number => {
        let value = values.get(raw);
        if (value === undefined) {
          const cell = this.rawCells[raw] ?? { cls: 'blank' as const, label: '' };
          value = cellValue(cell, style, (label) => this.table.category(label));
          values.set(raw, value);
        }
        return value;
      };
      const conflicts: BackgroundConflicts = { count: 0, lines: [] };
      const conflict = (line: number) => {
        conflicts.count++;
        if (conflicts.lines.length < 5) conflicts.lines.push(line);
      };
      const first = this.first[dim] as Int32Array;
      const second = this.second[dim] as Int32Array;
      const more = this.more[dim] as Map<number, number[]>;
      for (const pupilYear of this.touched[dim] ?? []) {
        const seen = new Set<number>();
        for (const raw of [first[pupilYear] ?? UNSET, second[pupilYear] ?? UNSET, ...(more.get(pupilYear) ?? [])]) {
          if (raw === UNSET) continue;
          const value = valueOf(raw);
          if (value !== NO_VALUE) seen.add(value);
        }
        if (seen.size > 1) {
          if (this.table.merge(dim, pupilYear, DISAGREE)) conflict((this.secondLine[dim] as Int32Array)[pupilYear] ?? 0);
        } else if (seen.size === 1 && this.table.merge(dim, pupilYear, [...seen][0] ?? NO_VALUE)) {
          conflict((this.firstLine[dim] as Int32Array)[pupilYear] ?? 0);
        }
      }
      const unread = { personal_id: 0, unmapped: {} as Record<string, number> };
      const shapes = { rows: 0, email: 0, date: 0, name: 0, personal_id: 0 };
      this.rawCells.forEach((cell, raw) => {
        if (this.rawDim[raw] !== dim) return;
        const rows = this.rawRows[raw] ?? 0;
        if (cell.reason === 'personal_id') {
          shapes.rows += rows;
          shapes.personal_id += rows;
        } else if (cell.cls !== 'blank') {
          shapes.rows += rows;
          const shape = cell.cls === 'category' ? personalShape(cell.label) : null;
          if (shape) shapes[shape] += rows;
        }
        if (cell.reason === undefined) return;
        if (cell.reason === 'personal_id') unread.personal_id += rows;
        else {
          // A value the config does not name may be a name in a shifted column, or one pupil's rare
          // value (a language): shown by its shape only.
          const shown = maskedDetail(cell.label);
          unread.unmapped[shown] = (unread.unmapped[shown] ?? 0) + rows;
        }
      });
      out.push({ key: spec.key, header: headers[column] ?? '', style: style.yesNo ? 'yes_no' : 'categories', conflicts, unread, shapes });
    });
    return out;
  }
}
