/**
 * Pupil ids. Personnummer and samordningsnummer in any of the usual forms become one canonical
 * 12-digit string (YYYYMMDDNNNN) so one pupil links across files written by different systems:
 *
 *   201304121234, 20130412-1234, 1304121234, 130412-1234, 130412+1234 (100 years or older)
 *
 * A 10-digit number has no century. We take the century that puts the birth year within the
 * 100 years up to `referenceYear` (the calendar year the school year ends in), or 100 years
 * earlier with the `+` separator. This depends only on the data, never on today's date, so the
 * same files always give the same result.
 *
 * Samordningsnummer have 60 added to the day (61–91); they are kept as they are. The check
 * digit is not required to be valid: ids are linking keys here, and a file with a typo in one
 * digit is better reported by `inspect` than silently rejected. Anything else (an internal
 * system id, a protected-identity id such as 20130412TF10) is kept as an opaque string,
 * trimmed and upper-cased.
 *
 * What never belongs to an id is dropped first: a byte-order mark or NUL in front (files glued
 * together, a system that pads), other control and zero-width characters, and every kind of
 * space; en dash, minus sign and the other dashes count as the hyphen. The date may be written
 * with hyphens too (2013-04-12-1234). So every spelling of one pupil gives one id.
 *
 * There is one parser: `normalisePupilId`. `pupilKeyFromBytes` is its fast path for the bytes of
 * an ordinary cell (ASCII digits with one optional - or +), used on every row of a big export;
 * anything else it hands back to the string path. A test proves the two equal on every spelling.
 */

export type PupilIdKind = 'personnummer' | 'samordningsnummer' | 'opaque';

export interface PupilId {
  id: string;
  kind: PupilIdKind;
}

const TWELVE = /^(\d{4})-?(\d{2})-?(\d{2})[-+]?(\d{4})$/;
const TEN = /^(\d{2})-?(\d{2})-?(\d{2})([-+]?)(\d{4})$/;
/** Never part of an id: controls (NUL), format characters (BOM, zero-width, direction marks), spaces. */
const NOT_ID = /[\p{Cc}\p{Cf}\p{Z}\s]+/gu;
/** Dashes that stand for the hyphen: ‐ ‑ ‒ – — ― − and the small and full-width hyphen-minus. */
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;

/** The text of an id cell with what never belongs to an id removed and dashes made hyphens. */
function cleanIdText(raw: string): string {
  return raw.replace(DASHES, '-').replace(NOT_ID, '');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Personnummer or samordningsnummer (day + 60) when year-month-day is a real date, else null. */
function dateKind(year: number, month: number, day: number): PupilIdKind | null {
  if (month < 1 || month > 12) return null;
  const isCoordination = day > 60;
  const realDay = isCoordination ? day - 60 : day;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (realDay < 1 || realDay > daysInMonth) return null;
  return isCoordination ? 'samordningsnummer' : 'personnummer';
}

/** The century rule for 10-digit numbers (see the module comment). */
function centuryYear(twoDigits: number, plus: boolean, referenceYear: number): number {
  let year = Math.floor(referenceYear / 100) * 100 + twoDigits;
  if (year > referenceYear) year -= 100;
  return plus ? year - 100 : year;
}

/** Returns null for a blank cell. */
export function normalisePupilId(raw: string, referenceYear: number): PupilId | null {
  const text = cleanIdText(raw);
  if (text === '') return null;

  const twelve = TWELVE.exec(text);
  if (twelve) {
    const [, y = '', m = '', d = '', serial = ''] = twelve;
    const kind = dateKind(Number(y), Number(m), Number(d));
    if (kind) return { id: `${y}${m}${d}${serial}`, kind };
  }
  const ten = TEN.exec(text);
  if (ten) {
    const [, yy = '', m = '', d = '', separator = '', serial = ''] = ten;
    const year = centuryYear(Number(yy), separator === '+', referenceYear);
    const kind = dateKind(year, Number(m), Number(d));
    if (kind) return { id: `${String(year).padStart(4, '0')}${m}${d}${serial}`, kind };
  }
  return { id: text.toUpperCase(), kind: 'opaque' };
}

const DIGIT0 = 48;
const HYPHEN = 45;
const PLUS = 43;
const SPACE = 32;

/**
 * The fast path of normalisePupilId for a cell's bytes: the 12-digit key (YYYYMMDDNNNN as a
 * number) of a personnummer or samordningsnummer written as ASCII digits with at most one - or +
 * before the last four (spaces around are ignored), or -1: not such a cell, use the string path.
 */
export function pupilKeyFromBytes(buf: Uint8Array, from: number, to: number, referenceYear: number): number {
  let start = from;
  let end = to;
  while (start < end && buf[start] === SPACE) start++;
  while (end > start && buf[end - 1] === SPACE) end--;
  const length = end - start;
  let digits = 0;
  let value = 0;
  let sepAt = -1;
  let plus = false;
  for (let i = start; i < end; i++) {
    const b = buf[i] ?? 0;
    if (b >= DIGIT0 && b <= DIGIT0 + 9) {
      value = value * 10 + (b - DIGIT0);
      digits++;
    } else if ((b === HYPHEN || b === PLUS) && sepAt < 0) {
      sepAt = i - start;
      plus = b === PLUS;
    } else return -1;
  }
  if (digits === 12 && (sepAt < 0 || (sepAt === 8 && length === 13))) {
    const y = Math.floor(value / 1e8);
    const m = Math.floor(value / 1e6) % 100;
    const d = Math.floor(value / 1e4) % 100;
    return dateKind(y, m, d) ? value : -1;
  }
  if (digits === 10 && (sepAt < 0 || (sepAt === 6 && length === 11))) {
    const yy = Math.floor(value / 1e8);
    const m = Math.floor(value / 1e6) % 100;
    const d = Math.floor(value / 1e4) % 100;
    const y = centuryYear(yy, plus, referenceYear);
    return dateKind(y, m, d) ? y * 1e8 + (value % 1e8) : -1;
  }
  return -1;
}

/** Personnummer or samordningsnummer, for a key from pupilKeyFromBytes. */
export function keyKind(key: number): PupilIdKind {
  return Math.floor(key / 1e4) % 100 > 60 ? 'samordningsnummer' : 'personnummer';
}

/**
 * Whether a text holds a personnummer or samordningsnummer in any spelling: 10 or 12 digits with
 * anything people put between the parts (hyphens and every other dash, +, spaces, dots, slashes,
 * underscores: 2009-01-01-1234, 090101–1234, 09 01 01-12 34, 2009.01.01-1234), full-width digits,
 * soft hyphens and zero-width characters from copy and paste; or a protected-identity id
 * (20090101TF10). Used to keep ids out of group labels (a shifted column).
 */
export function containsPersonalId(text: string): boolean {
  // Full-width digits and signs become ASCII (NFKC); invisible characters go; every dash is a hyphen.
  const cleaned = text.normalize('NFKC').replace(/[\p{Cf}\u00AD]/gu, '').replace(DASHES, '-');
  if (/\d{6,8}[\s\-._/]*T[FP]\d{2}/i.test(cleaned)) return true;
  // Runs of digits joined by separators: each run's digits, in windows of 12 and 10.
  for (const run of cleaned.match(/\d(?:[\s\-+._/]{0,2}\d)*/g) ?? []) {
    const plus = run.includes('+');
    const digits = run.replace(/\D/g, '');
    for (const size of [12, 10]) {
      for (let at = 0; at + size <= digits.length; at++) {
        const part = digits.slice(at, at + size);
        const candidate = size === 10 && plus ? `${part.slice(0, 6)}+${part.slice(6)}` : part;
        const id = normalisePupilId(candidate, 2100);
        if (id !== null && id.kind !== 'opaque') return true;
      }
    }
  }
  return false;
}

/** Gender from a personnummer: the second-to-last digit is odd for men, even for women. */
export function genderFromPersonnummer(id: PupilId): 'girl' | 'boy' | null {
  if (id.kind === 'opaque') return null;
  const digit = Number(id.id.charAt(10));
  return digit % 2 === 1 ? 'boy' : 'girl';
}

/** Luhn check of the 10-digit form; used by `inspect` to report suspicious ids. */
export function hasValidCheckDigit(id: PupilId): boolean {
  if (id.kind === 'opaque') return false;
  const digits = id.id.slice(2);
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let value = Number(digits.charAt(i)) * (i % 2 === 0 ? 2 : 1);
    if (value > 9) value -= 9;
    sum += value;
  }
  return sum % 10 === 0;
}
