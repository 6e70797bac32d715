/**
 * Pupil ids. Every personnummer below is synthetic: the födelsenummer (the first three digits
 * after the date) is in the 980–999 series that Skatteverket keeps for test numbers, so none of
 * them belongs to a real person. Check digits are computed by hand in the comments (Luhn over
 * the 10-digit form, weights 2,1,2,1,…; a product above 9 has 9 subtracted).
 */
import { describe, expect, it } from 'vitest';
import { containsPersonalId, genderFromPersonnummer, hasValidCheckDigit, keyKind, normalisePupilId, pupilKeyFromBytes } from '../../src/normalise/pupil-id.js';

// 130412-9826: 1·2 3·1 0·2 4·1 1·2 2·1 9·2→18→9 8·1 2·2 = 2+3+0+4+2+2+9+8+4 = 34 → check digit 6.
const GIRL_10 = '130412-9826';
const GIRL_12 = '201304129826';
// 130412-9818: 2+3+0+4+2+2+9+8+(1·2=2) = 32 → check digit 8.
const BOY_10 = '130412-9818';
// Samordningsnummer 130472-982C (day 12 + 60): 2+3+0+4+(7·2=14→5)+2+9+8+4 = 37 → check digit 3.
const COORD_10 = '130472-9823';

describe('normalisePupilId: forms of the same personnummer', () => {
  it('keeps a 12-digit number as it is', () => {
    expect(normalisePupilId('201304129826', 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });

  it('drops the dash of a 12-digit number', () => {
    expect(normalisePupilId('20130412-9826', 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });

  it('adds the century to a 10-digit number without separator', () => {
    expect(normalisePupilId('1304129826', 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });

  it('adds the century to a 10-digit number with a dash', () => {
    expect(normalisePupilId(GIRL_10, 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });

  it('reads + as 100 years or older', () => {
    expect(normalisePupilId('130412+9826', 2025)).toEqual({ id: '191304129826', kind: 'personnummer' });
  });

  it('trims surrounding and inner white space', () => {
    expect(normalisePupilId('  130412 - 9826 ', 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });
});

describe('normalisePupilId: century rule from the reference year', () => {
  it('example from the brief: 130412-1234 in 2025 → 2013', () => {
    expect(normalisePupilId('130412-1234', 2025)?.id).toBe('201304121234');
  });

  it('example from the brief: 130412+1234 in 2025 → 1913', () => {
    expect(normalisePupilId('130412+1234', 2025)?.id).toBe('191304121234');
  });

  it('a two-digit year equal to the reference year stays in that century (25 in 2025 → 2025)', () => {
    expect(normalisePupilId('250101-9800', 2025)?.id).toBe('202501019800');
  });

  it('a two-digit year after the reference year goes back 100 years (26 in 2025 → 1926)', () => {
    expect(normalisePupilId('260101-9800', 2025)?.id).toBe('192601019800');
  });

  it('depends on the reference year, not on today (13 in 2012 → 1913)', () => {
    expect(normalisePupilId('130412-9826', 2012)?.id).toBe('191304129826');
  });

  it('+ after a year past the reference year goes back 200 years (26 in 2025 with + → 1826)', () => {
    expect(normalisePupilId('260101+9800', 2025)?.id).toBe('182601019800');
  });
});

describe('normalisePupilId: samordningsnummer', () => {
  it('recognises day + 60 in the 10-digit form and keeps the day as written', () => {
    expect(normalisePupilId(COORD_10, 2025)).toEqual({ id: '201304729823', kind: 'samordningsnummer' });
  });

  it('recognises day + 60 in the 12-digit form', () => {
    expect(normalisePupilId('201304729823', 2025)).toEqual({ id: '201304729823', kind: 'samordningsnummer' });
  });

  it('accepts day 91 (31 + 60) in a 31-day month', () => {
    expect(normalisePupilId('20130191-9800', 2025)?.kind).toBe('samordningsnummer');
  });

  it('rejects day 91 in a 30-day month (April) as opaque', () => {
    expect(normalisePupilId('20130491-9800', 2025)?.kind).toBe('opaque');
  });
});

describe('normalisePupilId: invalid dates and other ids are opaque', () => {
  it('month 13 → opaque, text kept', () => {
    expect(normalisePupilId('131312-9826', 2025)).toEqual({ id: '131312-9826', kind: 'opaque' });
  });

  it('day 00 → opaque', () => {
    expect(normalisePupilId('20130400-9826', 2025)?.kind).toBe('opaque');
  });

  it('30 February → opaque', () => {
    expect(normalisePupilId('20130230-9826', 2025)?.kind).toBe('opaque');
  });

  it('29 February of a leap year (2000) is a date', () => {
    expect(normalisePupilId('000229-9800', 2025)).toEqual({ id: '200002299800', kind: 'personnummer' });
  });

  it('29 February of a common year (2001) is not', () => {
    expect(normalisePupilId('010229-9800', 2025)?.kind).toBe('opaque');
  });

  it('29 February with + lands in 1900, not a leap year → opaque', () => {
    expect(normalisePupilId('000229+9800', 2025)?.kind).toBe('opaque');
  });

  it('an internal id is trimmed and upper-cased', () => {
    expect(normalisePupilId('  elev-00042x ', 2025)).toEqual({ id: 'ELEV-00042X', kind: 'opaque' });
  });

  it('a protected-identity id (birth date + TF10) is opaque', () => {
    expect(normalisePupilId('20130412tf10', 2025)).toEqual({ id: '20130412TF10', kind: 'opaque' });
  });

  it('11 digits is opaque', () => {
    expect(normalisePupilId('13041298261', 2025)?.kind).toBe('opaque');
  });
});

describe('normalisePupilId: blank', () => {
  it.each(['', '   ', '\t'])('%j → null', (raw) => {
    expect(normalisePupilId(raw, 2025)).toBeNull();
  });
});

describe('genderFromPersonnummer', () => {
  it('even second-to-last digit → girl', () => {
    expect(genderFromPersonnummer({ id: GIRL_12, kind: 'personnummer' })).toBe('girl');
  });

  it('odd second-to-last digit → boy', () => {
    expect(genderFromPersonnummer({ id: '201304129818', kind: 'personnummer' })).toBe('boy');
  });

  it('works for a samordningsnummer (…9823: 2 → girl)', () => {
    expect(genderFromPersonnummer({ id: '201304729823', kind: 'samordningsnummer' })).toBe('girl');
  });

  it('opaque → null', () => {
    expect(genderFromPersonnummer({ id: '20130412TF10', kind: 'opaque' })).toBeNull();
  });
});

describe('hasValidCheckDigit', () => {
  it('accepts a Luhn-valid personnummer (130412-9826, girl)', () => {
    const id = normalisePupilId(GIRL_10, 2025);
    expect(id).not.toBeNull();
    if (id) expect(hasValidCheckDigit(id)).toBe(true);
  });

  it('accepts a Luhn-valid personnummer (130412-9818, boy)', () => {
    const id = normalisePupilId(BOY_10, 2025);
    if (!id) throw new Error('expected an id');
    expect(hasValidCheckDigit(id)).toBe(true);
  });

  it('ignores the century: 12-digit 19130412… checks the same 10 digits', () => {
    expect(hasValidCheckDigit({ id: '191304129826', kind: 'personnummer' })).toBe(true);
  });

  it('accepts a Luhn-valid samordningsnummer (130472-9823)', () => {
    expect(hasValidCheckDigit({ id: '201304729823', kind: 'samordningsnummer' })).toBe(true);
  });

  it('rejects a wrong check digit (130412-9817: sum 32 + 7 = 39)', () => {
    expect(hasValidCheckDigit({ id: '201304129817', kind: 'personnummer' })).toBe(false);
  });

  it('keeps an id with a wrong check digit (ids are linking keys, not validated)', () => {
    expect(normalisePupilId('130412-9817', 2025)).toEqual({ id: '201304129817', kind: 'personnummer' });
  });

  it('opaque → false', () => {
    expect(hasValidCheckDigit({ id: 'ELEV42', kind: 'opaque' })).toBe(false);
  });
});

/** Every way the same girl (130412-9826) is written in an export. */
const SPELLINGS = [
  '201304129826',
  '20130412-9826',
  '1304129826',
  '130412-9826',
  '130412 9826',
  '20130412 9826',
  '2013-04-12-9826',
  '130412–9826', // en dash
  '130412—9826', // em dash
  '130412\u22129826', // minus sign
  '\uFEFF201304129826', // a byte-order mark in front (files glued together)
  '\uFEFF130412-9826',
  '\u0000201304129826', // NUL in front
  '\u200B130412-9826', // zero-width space
  ' 130412-9826 ',
  '\u00A0130412-9826', // no-break space
  '13\u00A004\u00A012-9826',
];

describe('one parser: every spelling of one pupil is one id', () => {
  it.each(SPELLINGS)('%j → 201304129826', (spelling) => {
    expect(normalisePupilId(spelling, 2025)).toEqual({ id: GIRL_12, kind: 'personnummer' });
  });

  it('+ still means 100 years or older, in every spelling', () => {
    for (const spelling of ['130412+9826', ' 130412+9826', '\uFEFF130412+9826']) expect(normalisePupilId(spelling, 2025)).toEqual({ id: '191304129826', kind: 'personnummer' });
  });

  it('the byte fast path gives the string path\'s id for every spelling it takes, and hands the rest over (-1)', () => {
    const spellings = [...SPELLINGS, '130412+9826', COORD_10, '201304729823', '13041298', 'ABC123', '20130412TF10', '201313129826', ''];
    let fast = 0;
    for (const spelling of spellings) {
      const bytes = Buffer.from(spelling, 'utf8');
      const key = pupilKeyFromBytes(bytes, 0, bytes.length, 2025);
      const parsed = normalisePupilId(spelling, 2025);
      if (key < 0) continue;
      fast++;
      expect(parsed, spelling).not.toBeNull();
      expect(String(key).padStart(12, '0'), spelling).toBe(parsed?.id);
      expect(keyKind(key), spelling).toBe(parsed?.kind);
    }
    // The fast path takes the ordinary forms (12 or 10 digits, one - or +, spaces around).
    expect(fast).toBe(8);
  });

  it('the byte fast path on generated numbers: the same id as the string path, or -1', () => {
    let state = 7;
    const next = (n: number) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let i = 0; i < 2000; i++) {
      const date = `${1990 + next(40)}${String(next(14)).padStart(2, '0')}${String(next(95)).padStart(2, '0')}`;
      const serial = String(next(10000)).padStart(4, '0');
      const forms = [`${date}${serial}`, `${date}-${serial}`, `${date.slice(2)}${serial}`, `${date.slice(2)}-${serial}`, `${date.slice(2)}+${serial}`];
      for (const form of forms) {
        const bytes = Buffer.from(form);
        const key = pupilKeyFromBytes(bytes, 0, bytes.length, 2025);
        const parsed = normalisePupilId(form, 2025);
        if (key >= 0) expect(String(key).padStart(12, '0'), form).toBe(parsed?.id);
        else expect(parsed?.kind, form).toBe('opaque');
      }
    }
  });
});

describe('containsPersonalId: ids in labels', () => {
  // Test-series numbers (födelsenummer 98x): none is a real person's.
  it.each(['2009-01-01-9899', '090101–9899', '090101-9899', '200901019899', '0901019899', 'Skola 090101-9899', '20090101TF10', '20090161-9899'])('%j holds an id', (text) => {
    expect(containsPersonalId(text)).toBe(true);
  });

  it.each(['Ekbackens skola', '6B', '71387206', '2120001439', 'Klass 2024/25', 'Sv2', '2024-06-10', '', 'Åk 5'])('%j does not', (text) => {
    expect(containsPersonalId(text)).toBe(false);
  });
});
