/**
 * Row accounting: every row read is accepted or rejected under a named reason, with up to five
 * example lines per reason. read = accepted + rejected, always (checked by `checkBalance`).
 */

export const REJECT_REASONS = [
  'field_count',
  'unterminated_quote',
  'missing_id',
  'invalid_school_year',
  'outside_school_years',
  'unknown_subject',
  'unknown_kind',
  'old_grade_scale',
  'invalid_grade',
  'invalid_assessment',
  'duplicate',
  'conflict',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const REASON_TEXT: Readonly<Record<RejectReason, { sv: string; en: string }>> = {
  field_count: { sv: 'fel antal fält på raden', en: 'wrong number of fields on the line' },
  unterminated_quote: { sv: 'citattecken som aldrig stängs (raden hoppades över, läsningen fortsätter på nästa)', en: 'a quote that never closes (the line is skipped, reading goes on at the next)' },
  missing_id: { sv: 'elev-id saknas', en: 'no pupil id' },
  invalid_school_year: { sv: 'läsår/termin kunde inte tolkas', en: 'school year not understood' },
  outside_school_years: { sv: 'läsår utanför --school-years', en: 'school year outside --school-years' },
  unknown_subject: { sv: 'okänt ämne', en: 'unknown subject' },
  unknown_kind: { sv: 'okänd resultattyp (varken betyg, provbetyg eller bedömning)', en: 'unknown result kind (not grade, test or assessment)' },
  old_grade_scale: { sv: 'gammal betygsskala (IG/G/VG/MVG)', en: 'old grade scale (IG/G/VG/MVG)' },
  invalid_grade: { sv: 'inte ett betyg A–F', en: 'not a grade A–F' },
  invalid_assessment: { sv: 'okänd bedömning/omdöme', en: 'unknown assessment label' },
  duplicate: { sv: 'exakt dubblett av en tidigare rad (räknas en gång)', en: 'exact duplicate of an earlier row (counted once)' },
  conflict: {
    sv: 'motstridig dubblett (samma elev, ämne, läsår och typ men olika resultat): utelämnad',
    en: 'conflicting duplicate (same pupil, subject, year and kind, different result): left out',
  },
};

export const MAX_EXAMPLES = 5;

const ID_LIKE = /\d{6,}|\d{6}[-+ ]\d{4}/;
const NAME_LIKE = /^\p{Lu}\p{Ll}+(?:[ -]\p{Lu}\p{Ll}*)+$/u;
const MAX_DETAIL = 24;

/**
 * A rejected cell's value as it may be shown in a report: the value helps the user fix the export
 * ("VG", "Matte 2", "läsår?"), but a shifted column can put an id or a name where a grade or a
 * subject should be, so anything that looks like one, or is long, is replaced by a marker.
 */
export function safeDetail(value: string): string {
  if (ID_LIKE.test(value.replace(/\s/g, ''))) return '[hidden: looks like an id]';
  if (NAME_LIKE.test(value)) return '[hidden: looks like a name]';
  if ([...value].length > MAX_DETAIL) return '[hidden: long text]';
  return value;
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

  constructor(readonly file: string) {}

  accept(): void {
    this.read++;
    this.accepted++;
  }

  /** `detail` is the offending cell value; it is shown only through safeDetail. */
  reject(reason: RejectReason, line: number, detail?: string): void {
    this.read++;
    this.count(reason, line, detail === undefined || reason === 'field_count' ? detail : safeDetail(detail));
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

  /** read = accepted + rejected. A mismatch is a bug, not a data problem. */
  checkBalance(): void {
    if (this.read !== this.accepted + this.rejectedTotal) {
      throw new Error(`internal accounting error in ${this.file}: read ${this.read} ≠ accepted ${this.accepted} + rejected ${this.rejectedTotal}`);
    }
  }
}
