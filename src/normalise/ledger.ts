/**
 * Row accounting: every row read is accepted, rejected under a named reason, or outside the
 * selection (--school-years), with up to five example lines per reason.
 * read = accepted + rejected + outside the selection, always (checked by `checkBalance`).
 */
import { MESSAGES, type Message } from '../messages.js';
import { containsPersonalId } from './pupil-id.js';
import { fold } from './text.js';
import { SUBJECT_NAMES, SUBJECT_NAMES_EN } from './subject.js';

export const REJECT_REASONS = [
  'field_count',
  'unterminated_quote',
  'missing_id',
  'invalid_school_year',
  'personal_id_in_label',
  'unknown_subject',
  'invalid_grade_level',
  'unknown_kind',
  'old_grade_scale',
  'invalid_grade',
  'invalid_assessment',
  'duplicate',
  'conflict',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** What each reason means, in Swedish and English (the catalogue in messages.ts). */
export const REASON_TEXT: Readonly<Record<RejectReason, Message>> = MESSAGES.rejectReason;

const MAX_EXAMPLES = 5;

const MAX_DETAIL = 24;

/** Shown in place of a value that looks like a personnummer. */
const HIDDEN_ID = '[hidden: looks like an id]';

/** Old grades, grade letters, codes and words of this domain: letters that are not a person. */
const KNOWN_WORDS = new Set(
  [
    // grades, old and new, and the ways "no grade" is written
    'ig', 'g', 'vg', 'mvg', 'ig+', 'u', 'vu', 'streck', 'saknas', 'ej', 'x', 'na', 'nan', 'null', 'none', 'inget', 'ingen', 'befriad', 'ejbedomd',
    'godkand', 'ejgodkand', 'underkand', 'pass', 'fail',
    // omdömen people write outside a scale
    'bra', 'mycketbra', 'god', 'godtagbar', 'ejgodtagbar', 'tillracklig', 'ejtillracklig', 'otillracklig', 'utmarkt', 'ok', 'nastan', 'nara', 'mal',
    'mycket', 'uppnatt', 'ejuppnatt', 'uppnar', 'uppnarej', 'ejuppnar', 'pabegynt', 'utvecklas', 'hog', 'lag', 'medel',
    // kinds and school-year words
    'betyg', 'terminsbetyg', 'slutbetyg', 'provbetyg', 'prov', 'np', 'bedomning', 'omdome', 'resultat', 'typ', 'lasar', 'termin', 'ht', 'vt', 'hosttermin', 'varterminen', 'vartermin',
    'franvaro', 'franvarande', 'sjuk', 'ledig', 'deltogej', 'ejdeltagit',
    'ett', 'tva', 'tre', 'fyra', 'fem', 'sex', 'sju', 'atta', 'nio', 'ak', 'arskurs', 'klass',
    'true', 'false', 'ja', 'nej', 'yes', 'no',
    // what a gender column holds when it is not girl or boy
    'annat', 'annan', 'ovrigt', 'okant', 'okand', 'ickebinar', 'icke', 'binar', 'ejangivet', 'ejangiven', 'angivet', 'angiven', 'vetej', 'vet', 'hen', 'other', 'unknown', 'nonbinary', 'non', 'binary', 'kon',
  ],
);
/**
 * Words of school subjects, folded: Skolverket's names and codes in Swedish and English, and the
 * short forms people write (matte, eng, sv2). A word in this set is a subject, not a person.
 */
const SUBJECT_WORDS = new Set(
  [
    ...Object.values(SUBJECT_NAMES),
    ...Object.values(SUBJECT_NAMES_EN),
    ...Object.keys(SUBJECT_NAMES),
    'matte', 'matematik', 'mat', 'eng', 'sve', 'sv', 'sva', 'svenska', 'engelska', 'no', 'so', 'idrott', 'halsa', 'hemkunskap', 'hkk', 'slojd',
    'tyska', 'franska', 'spanska', 'modersmal', 'modersmalsundervisning', 'sprakval', 'elevens', 'val', 'amne', 'kurs', 'och', 'som', 'andrasprak', 'for', 'horande',
    'teknik', 'musik', 'bild', 'kemi', 'fysik', 'biologi', 'geografi', 'historia', 'religion', 'samhallskunskap', 'naturkunskap', 'science', 'math', 'maths',
  ].flatMap((name) => name.split(/[\s,-]+/).map(fold)).filter((word) => word.length > 0),
);

/** What is shown in place of a value that may be a name: its kind and length, never its letters. */
function shapeOf(value: string): string {
  return `[text, ${[...value].length} characters]`;
}

/** A word of letters that is recognisably not a person: one letter, a grade or result word, a subject. */
function knownWord(word: string): boolean {
  if ([...word].length === 1) return true;
  const key = fold(word);
  return KNOWN_WORDS.has(key) || SUBJECT_WORDS.has(key) || /^[a-f]$/.test(key);
}

/**
 * A rejected cell's value as it may be shown (stderr, `meta`, `inspect`, `init`): the value helps
 * the user fix the export ("VG", "Matte 2", "läsår?"), but a shifted column can put a pupil's
 * name or personnummer where a grade or a subject should be. So a value is shown only when every
 * word of letters in it is recognisably not a person: a single letter, an old grade or a result,
 * school-year or subject word ("Matte 2", "5B", "läsår?", "Frånvaro"); digits and signs may
 * stand around them. Anything that looks like an id is hidden, anything else is replaced by its
 * shape (`[text, 5 characters]`): "Oscar", "MAJA LINDQVIST", "Lindqvist, Maja (6B)", "Maja2",
 * "Matematik Oscar", in any case.
 */
/**
 * A value by its shape only, whatever its words: for background cells, where even an ordinary
 * word (a rare language: "engelska") can be one pupil's value.
 */
export function maskedDetail(value: string): string {
  const text = value.trim();
  if (containsPersonalId(text) || /\d{6,}/.test(text.replace(/[\s-]/g, ''))) return HIDDEN_ID;
  return shapeOf(text);
}

export function safeDetail(value: string): string {
  const text = value.trim();
  if (containsPersonalId(text) || /\d{6,}/.test(text.replace(/[\s-]/g, ''))) return HIDDEN_ID;
  if ([...text].length > MAX_DETAIL) return shapeOf(text);
  const words = text.match(/\p{L}+/gu) ?? [];
  if (words.every(knownWord)) return text;
  if (/^[a-f][+-]$/i.test(text)) return text;
  return shapeOf(text);
}

export interface ReasonCount {
  count: number;
  /** Up to five line numbers, in the order met. */
  lines: number[];
}

export class FileLedger {
  read = 0;
  accepted = 0;
  readonly rejected = new Map<RejectReason, ReasonCount>();
  /** Rows with a detail worth showing beside the reason (e.g. the unknown value), per reason. */
  readonly details = new Map<RejectReason, Map<string, number>>();
  /** Rows of school years outside --school-years: a selection, not a rejection. */
  readonly outside: ReasonCount = { count: 0, lines: [] };
  /** Per school year outside the selection: rows. */
  readonly outsideYears = new Map<string, number>();
  /**
   * Rows whose gender cell holds something that is not a gender ("X", "Annat"): a note, not a
   * rejection (the cell is not read; the pupil's gender comes from their other rows or the
   * personnummer). Counted when the row passes its own checks, before duplicates are known.
   */
  readonly unreadGender: ReasonCount = { count: 0, lines: [] };
  /** Those cells' values (shown as safeDetail shows them), with rows. */
  readonly unreadGenderValues = new Map<string, number>();

  /** `rawValues`: the user asked to see rejected values as they are (inspect --raw-values). */
  constructor(
    readonly file: string,
    private readonly rawValues = false,
  ) {}

  /** Forget everything counted (a file read again from the start). */
  reset(): void {
    this.read = 0;
    this.accepted = 0;
    this.rejected.clear();
    this.details.clear();
    this.outside.count = 0;
    this.outside.lines.length = 0;
    this.outsideYears.clear();
    this.unreadGender.count = 0;
    this.unreadGender.lines.length = 0;
    this.unreadGenderValues.clear();
  }

  /** A row past its own checks whose gender cell is not a gender. */
  noteUnreadGender(line: number, value: string): void {
    this.unreadGender.count++;
    if (this.unreadGender.lines.length < MAX_EXAMPLES) this.unreadGender.lines.push(line);
    const shown = this.rawValues ? value.trim() : safeDetail(value);
    this.unreadGenderValues.set(shown, (this.unreadGenderValues.get(shown) ?? 0) + 1);
  }

  /** Such rows of a block (lines already file lines). */
  mergeUnreadGender(count: number, lines: readonly number[], values: readonly (readonly [string, number])[]): void {
    this.unreadGender.count += count;
    for (const line of lines) if (this.unreadGender.lines.length < MAX_EXAMPLES) this.unreadGender.lines.push(line);
    for (const [value, n] of values) this.unreadGenderValues.set(value, (this.unreadGenderValues.get(value) ?? 0) + n);
  }

  /** A row of a school year outside --school-years. */
  skipOutside(line: number, year: string): void {
    this.read++;
    this.outside.count++;
    if (this.outside.lines.length < MAX_EXAMPLES) this.outside.lines.push(line);
    this.outsideYears.set(year, (this.outsideYears.get(year) ?? 0) + 1);
  }

  accept(): void {
    this.read++;
    this.accepted++;
  }

  /** `detail` is the offending cell value; it is shown only through safeDetail. */
  reject(reason: RejectReason, line: number, detail?: string): void {
    this.read++;
    this.count(reason, line, detail === undefined || reason === 'field_count' || this.rawValues ? detail : safeDetail(detail));
  }

  /** Rows a block counted under one reason (lines already file lines, in file order). */
  mergeReason(reason: RejectReason, count: number, lines: readonly number[], details: readonly (readonly [string, number])[]): void {
    this.read += count;
    let entry = this.rejected.get(reason);
    if (!entry) {
      entry = { count: 0, lines: [] };
      this.rejected.set(reason, entry);
    }
    entry.count += count;
    for (const line of lines) if (entry.lines.length < MAX_EXAMPLES) entry.lines.push(line);
    if (details.length > 0) {
      let values = this.details.get(reason);
      if (!values) {
        values = new Map();
        this.details.set(reason, values);
      }
      for (const [value, n] of details) values.set(value, (values.get(value) ?? 0) + n);
    }
  }

  /** Rows of a block outside --school-years (lines already file lines). */
  mergeOutside(count: number, lines: readonly number[], years: readonly (readonly [string, number])[]): void {
    this.read += count;
    this.outside.count += count;
    for (const line of lines) if (this.outside.lines.length < MAX_EXAMPLES) this.outside.lines.push(line);
    for (const [year, n] of years) this.outsideYears.set(year, (this.outsideYears.get(year) ?? 0) + n);
  }

  /** An accepted row later found to be part of a conflict. */
  reclassify(reason: RejectReason, line: number): void {
    this.accepted--;
    this.count(reason, line);
  }

  private count(reason: RejectReason, line: number, detail?: string): void {
    let entry = this.rejected.get(reason);
    if (!entry) {
      entry = { count: 0, lines: [] };
      this.rejected.set(reason, entry);
    }
    entry.count++;
    if (entry.lines.length < MAX_EXAMPLES) entry.lines.push(line);
    if (detail !== undefined) {
      let values = this.details.get(reason);
      if (!values) {
        values = new Map();
        this.details.set(reason, values);
      }
      values.set(detail, (values.get(detail) ?? 0) + 1);
    }
  }

  get rejectedTotal(): number {
    let total = 0;
    for (const entry of this.rejected.values()) total += entry.count;
    return total;
  }

  /** read = accepted + rejected + outside the selection. A mismatch is a bug, not a data problem. */
  checkBalance(): void {
    if (this.read !== this.accepted + this.rejectedTotal + this.outside.count) {
      throw new Error(`internal accounting error in ${this.file}: read ${this.read} ≠ accepted ${this.accepted} + rejected ${this.rejectedTotal} + outside the selection ${this.outside.count}`);
    }
  }

  /** The reason most rows were rejected for (ties: the first in REJECT_REASONS). */
  mainReason(): RejectReason | null {
    let best: RejectReason | null = null;
    let most = 0;
    for (const reason of REJECT_REASONS) {
      const count = this.rejected.get(reason)?.count ?? 0;
      if (count > most) {
        best = reason;
        most = count;
      }
    }
    return best;
  }
}
