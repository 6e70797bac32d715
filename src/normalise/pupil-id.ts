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
 */

export type PupilIdKind = 'personnummer' | 'samordningsnummer' | 'opaque';

export interface PupilId {
  id: string;
  kind: PupilIdKind;
}

const TWELVE = /^(\d{4})(\d{2})(\d{2})[-+]?(\d{4})$/;
const TEN = /^(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Personnummer or samordningsnummer (day + 60) when year-month-day is a real date, else null. */
export function dateKind(year: number, month: number, day: number): PupilIdKind | null {
  if (month < 1 || month > 12) return null;
  const isCoordination = day > 60;
  const realDay = isCoordination ? day - 60 : day;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (realDay < 1 || realDay > daysInMonth) return null;
  return isCoordination ? 'samordningsnummer' : 'personnummer';
}

/** The century rule for 10-digit numbers (see the module comment). */
export function centuryYear(twoDigits: number, plus: boolean, referenceYear: number): number {
  let year = Math.floor(referenceYear / 100) * 100 + twoDigits;
  if (year > referenceYear) year -= 100;
  return plus ? year - 100 : year;
}

/** Returns null for a blank cell. */
export function normalisePupilId(raw: string, referenceYear: number): PupilId | null {
  const text = raw.trim().replace(/\s+/g, '');
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
