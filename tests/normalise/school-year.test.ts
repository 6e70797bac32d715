import { describe, expect, it } from 'vitest';
import { normaliseSchoolYear, schoolYearLabel, startYearOf } from '../../src/normalise/school-year.js';

describe('normaliseSchoolYear: spans (no term)', () => {
  it.each(['2024/25', '2024/2025', '2024-2025', '2024-25', '24/25', '2024–25', ' 2024 / 25 '])('%j → 2024/25', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: null });
  });

  it('1999/00 wraps into the next century', () => {
    expect(normaliseSchoolYear('1999/00')).toEqual({ label: '1999/00', startYear: 1999, term: null });
  });

  it('1999/2000 is the same läsår', () => {
    expect(normaliseSchoolYear('1999/2000')?.label).toBe('1999/00');
  });
});

describe('normaliseSchoolYear: autumn terms', () => {
  it.each(['HT24', 'HT2024', 'HT 2024', 'ht24', 'Hösttermin 2024', 'Höstterminen 2024'])('%j → 2024/25 HT', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: 'HT' });
  });
});

describe('normaliseSchoolYear: spring terms', () => {
  it.each(['VT25', 'VT2025', 'VT 2025', 'vt25', 'Vårtermin 2025', 'Vårterminen 2025'])('%j → 2024/25 VT', (raw) => {
    expect(normaliseSchoolYear(raw)).toEqual({ label: '2024/25', startYear: 2024, term: 'VT' });
  });
});

describe('normaliseSchoolYear: a bare year is the spring term', () => {
  it('2025 → 2024/25 VT', () => {
    expect(normaliseSchoolYear('2025')).toEqual({ label: '2024/25', startYear: 2024, term: 'VT' });
  });

  it('2000 → 1999/00 VT', () => {
    expect(normaliseSchoolYear('2000')).toEqual({ label: '1999/00', startYear: 1999, term: 'VT' });
  });
});

describe('normaliseSchoolYear: not a school year', () => {
  it.each(['2024/26', '2025/24', 'läsår?', '', '   ', '20245', 'HT', 'Termin 3', '1800/01', '1800'])('%j → null', (raw) => {
    expect(normaliseSchoolYear(raw)).toBeNull();
  });
});

describe('schoolYearLabel / startYearOf', () => {
  it('pads the two-digit end year', () => {
    expect(schoolYearLabel(2008)).toBe('2008/09');
  });

  it('wraps at the century', () => {
    expect(schoolYearLabel(1999)).toBe('1999/00');
  });

  it('reads the start year back from a label', () => {
    expect(startYearOf('2024/25')).toBe(2024);
  });
});
